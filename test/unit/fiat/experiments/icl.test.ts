// The ICL baseline's evaluation from θ_β's parsed answers: counted by hand here.
import { expect, test } from 'vitest';
import { iclEvaluation } from '../../../../src/fiat/experiments/icl.ts';
import type { ReasoningPrediction } from '../../../../src/fiat/reasoning/agreement.ts';
import type { Example, TaskSpec } from '../../../../src/fiat/task/task.ts';

const example = (id: string, lang: string, fields: Partial<Example>): Example => ({ id, split: 'validation', lang, question: 'q', passage: 'p', answer: 'x', ...fields });

test('classification: the named label is the prediction; unparsed or missing is wrong; no AUC-PR from text answers', () => {
  const spec: TaskSpec = { kind: 'classification', labels: [{ value: '0', verbalizer: 'not supported' }, { value: '1', verbalizer: 'supported' }] };
  const examples = [example('a', 'fi', { label: '1' }), example('b', 'fi', { label: '0' }), example('c', 'ja', { label: '1' }), example('d', 'ja', { label: '0' })];
  const answers: Record<string, ReasoningPrediction> = {
    a: { kind: 'classification', answer: 'supported', label: 1 }, // right (the verbalizer's label is a number)
    b: { kind: 'classification', answer: 'yes', label: 1 }, // wrong
    c: { kind: 'classification', answer: 'maybe', label: null }, // unparsed: wrong
    // d: no reasoning: wrong
  };
  const { report, predictions } = iclEvaluation(spec, examples, (e) => answers[e.id] ?? null);
  expect(predictions.map((p) => p.output)).toEqual(['supported', 'supported', null, null]);
  // 1 of 4 right; fi 1/2, ja 0/2: macro 1/4.
  expect(report.overall.values).toEqual({ accuracy: 0.25, 'auc-pr': null });
  expect(report.macro.accuracy).toEqual({ value: 0.25, languages: 2 });
  expect(report.kind === 'classification' && report.overall.counts.noLabel).toBe(2);
});

test('extractive QA: the normalised span; no answer right only against no-answer gold; missing reads as no answer', () => {
  const spec: TaskSpec = { kind: 'extractive-qa', noAnswer: 'No answer.' };
  const examples = [example('a', 'ar', { answer: 'the Nile' }), example('b', 'ar', { answer: null }), example('c', 'ko', { answer: 'Seoul' })];
  const answers: Record<string, ReasoningPrediction> = {
    a: { kind: 'extractive-qa', answer: 'The Nile river', text: 'nile river' }, // EM 0, F1 2*(1/2*1)/(1/2+1) = 2/3
    b: { kind: 'extractive-qa', answer: 'no answer', text: null }, // right
  };
  const { report, predictions } = iclEvaluation(spec, examples, (e) => answers[e.id] ?? null);
  expect(predictions.map((p) => p.output)).toEqual(['nile river', null, null]);
  expect(report.overall.values['exact-match']).toBeCloseTo(1 / 3, 14);
  expect(report.overall.values['token-f1']).toBeCloseTo((2 / 3 + 1 + 0) / 3, 14);
});
