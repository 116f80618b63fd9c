// Prediction rows: an evaluation joined with the task's examples, rightness from the report's per-example scores.
import { expect, test } from 'vitest';
import { classificationReport, qaReport } from '../../../../src/fiat/metrics/report.ts';
import { filterPredictionRows, predictionRows } from '../../../../src/fiat/tuning/prediction-rows.ts';
import type { Example, TaskSpec } from '../../../../src/fiat/task/task.ts';

const example = (id: string, lang: string, fields: Partial<Example>): Example => ({ id, split: 'validation', lang, question: `q-${id}`, passage: 'p', answer: null, ...fields });

test('classification: chosen label, each label’s probability, gold and right or wrong; an unknown example keeps its row', () => {
  const spec: TaskSpec = { kind: 'classification', labels: [{ value: '0', verbalizer: 'no' }, { value: '1', verbalizer: 'yes' }] };
  const examples = [example('a', 'fi', { label: '1' }), example('b', 'ja', { label: '0' })];
  const report = classificationReport(
    [
      { exampleId: 'a', lang: 'fi', gold: '1', prediction: { label: '1', positiveProbability: 0.75 } },
      { exampleId: 'b', lang: 'ja', gold: '0', prediction: { label: '1', positiveProbability: 0.6 } },
      { exampleId: 'gone', lang: 'ja', gold: '0', prediction: { label: '0', positiveProbability: 0.1 } },
    ],
    '1',
  );
  const predictions = [
    { exampleId: 'a', lang: 'fi', output: 'yes', probabilities: [0.25, 0.75] },
    { exampleId: 'b', lang: 'ja', output: 'yes', probabilities: [0.4, 0.6] },
    { exampleId: 'gone', lang: 'ja', output: 'no', probabilities: [0.9, 0.1] },
  ];
  const rows = predictionRows({ report, predictions }, spec, examples);
  expect(rows[0]).toEqual({
    kind: 'classification', exampleId: 'a', lang: 'fi', question: 'q-a', correct: true, predicted: '1', predictedVerbalizer: 'yes', gold: '1',
    probabilities: [{ value: '0', verbalizer: 'no', probability: 0.25 }, { value: '1', verbalizer: 'yes', probability: 0.75 }],
  });
  expect(rows.map((r) => [r.exampleId, r.correct, r.question])).toEqual([['a', true, 'q-a'], ['b', false, 'q-b'], ['gone', true, null]]);
  expect(filterPredictionRows(rows, { wrongOnly: true, lang: null }).map((r) => r.exampleId)).toEqual(['b']);
  expect(filterPredictionRows(rows, { wrongOnly: false, lang: 'ja' }).map((r) => r.exampleId)).toEqual(['b', 'gone']);
  expect(filterPredictionRows(rows, { wrongOnly: true, lang: 'fi' })).toEqual([]);
});

test('extractive QA: the answer or no answer, gold, EM and F1 from the report', () => {
  const spec: TaskSpec = { kind: 'extractive-qa', noAnswer: 'No answer.' };
  const examples = [example('a', 'ar', { answer: 'the Nile river' }), example('b', 'ar', { answer: null })];
  const report = qaReport([
    { exampleId: 'a', lang: 'ar', gold: 'the Nile river', prediction: 'Nile' },
    { exampleId: 'b', lang: 'ar', gold: null, prediction: null },
  ]);
  const rows = predictionRows({ report, predictions: [{ exampleId: 'a', lang: 'ar', output: 'Nile' }, { exampleId: 'b', lang: 'ar', output: null }] }, spec, examples);
  expect(rows[0]).toMatchObject({ kind: 'extractive-qa', answer: 'Nile', gold: 'the Nile river', exactMatch: 0, correct: false });
  expect(rows[0]!.kind === 'extractive-qa' && rows[0]!.tokenF1).toBeCloseTo(2 / 3, 12);
  expect(rows[1]).toMatchObject({ answer: null, gold: null, exactMatch: 1, tokenF1: 1, correct: true });
});
