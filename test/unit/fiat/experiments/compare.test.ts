// Two runs side by side: rows joined by example, verdicts from the reports, the differ flag and the filters.
import { expect, test } from 'vitest';
import { compareRuns, filterComparison } from '../../../../src/fiat/experiments/compare.ts';
import { qaReport } from '../../../../src/fiat/metrics/report.ts';
import type { Example, TaskSpec } from '../../../../src/fiat/task/task.ts';
import type { Evaluation } from '../../../../src/fiat/tuning/evaluate.ts';
import { evaluation } from './fixtures.ts';

const classification: TaskSpec = { kind: 'classification', labels: [{ value: '0', verbalizer: 'not supported' }, { value: '1', verbalizer: 'supported' }] };
const example = (id: string, fields: Partial<Example> = {}): Example => ({ id, split: 'validation', lang: 'fi', question: `q-${id}`, passage: 'p', answer: 'x', label: '1', ...fields });

test('classification: both outputs, the gold verbalizer, right or wrong each; filters by difference and by who is right', () => {
  // Gold is '1' (supported) for a, b, c; A right on a, b; B right on a, c; d is only in A.
  const a = evaluation([{ id: 'a', lang: 'fi', correct: true }, { id: 'b', lang: 'fi', correct: true }, { id: 'c', lang: 'fi', correct: false }, { id: 'd', lang: 'fi', correct: true }]);
  const b = evaluation([{ id: 'c', lang: 'fi', correct: true }, { id: 'a', lang: 'fi', correct: true }, { id: 'b', lang: 'fi', correct: false }]);
  const { rows, onlyInA, onlyInB } = compareRuns(a, b, classification, ['a', 'b', 'c', 'd'].map((id) => example(id)));
  expect([onlyInA, onlyInB]).toEqual([1, 0]);
  expect(rows.map((r) => [r.exampleId, r.gold, r.a.output, r.a.right, r.b.output, r.b.right, r.differ])).toEqual([
    ['a', 'supported', 'supported', true, 'supported', true, false],
    ['b', 'supported', 'supported', true, 'not supported', false, true],
    ['c', 'supported', 'not supported', false, 'supported', true, true],
  ]);
  expect(rows[0]!.question).toBe('q-a');
  expect(filterComparison(rows, 'all')).toHaveLength(3);
  expect(filterComparison(rows, 'differ').map((r) => r.exampleId)).toEqual(['b', 'c']);
  expect(filterComparison(rows, 'only-a-right').map((r) => r.exampleId)).toEqual(['b']);
  expect(filterComparison(rows, 'only-b-right').map((r) => r.exampleId)).toEqual(['c']);
});

test('extractive QA: right is exact match; outputs that differ only in form still differ; no answer is null', () => {
  const spec: TaskSpec = { kind: 'extractive-qa', noAnswer: 'No answer.' };
  const qa = (answers: Record<string, string | null>): Evaluation => {
    const rows = Object.entries(answers).map(([id, prediction]) => ({ exampleId: id, lang: 'ar', gold: id === 'n' ? null : 'the Nile', prediction }));
    return { report: qaReport(rows), predictions: rows.map((r) => ({ exampleId: r.exampleId, lang: r.lang, output: r.prediction })) };
  };
  const examples = [example('m', { answer: 'the Nile', label: undefined }), example('n', { answer: null, label: undefined })];
  const { rows } = compareRuns(qa({ m: 'Nile', n: null }), qa({ m: 'the Nile', n: 'Cairo' }), spec, examples);
  expect(rows.map((r) => [r.gold, r.a.output, r.a.right, r.a.tokenF1, r.b.output, r.b.right, r.differ])).toEqual([
    // SQuAD normalisation drops the article: "Nile" matches "the Nile" exactly.
    ['the Nile', 'Nile', true, 1, 'the Nile', true, true],
    [null, null, true, 1, 'Cairo', false, true],
  ]);
});
