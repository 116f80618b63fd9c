// ICL's evaluation: θ_β's answers parsed out of the cached reasoning, scored on the first validation examples.
import { expect, test } from 'vitest';
import { createAnswerWithoutTraining, iclAnswers } from '../../../../src/ui/features/experiments/runner/answer.ts';
import { context, reasoning, snapshot, spec, task } from './fixtures.ts';

test("θ_β's answers on the first validation examples: every reasoning says 'supported', two of four are", () => {
  const evaluation = iclAnswers(spec('icl'), context());
  expect(evaluation.predictions.map((p) => [p.exampleId, p.output])).toEqual([
    ['v0', 'supported'],
    ['v1', 'supported'],
    ['v2', 'supported'],
    ['v3', 'supported'],
  ]);
  expect(evaluation.report.overall.values.accuracy).toBe(0.5);
  expect(evaluation.report.overall.values['auc-pr']).toBeNull();
});

test('a missing reasoning is a wrong answer; the validation size is the snapshot’s', () => {
  const t = task();
  const evaluation = iclAnswers(spec('icl', { settings: snapshot({ validationSize: 3 }) }), context({ task: t, reasoning: { ok: true, entries: reasoning(t, ['v1']) } }));
  expect(evaluation.predictions.map((p) => p.output)).toEqual(['supported', null, 'supported']);
  expect(evaluation.report.overall.values.accuracy).toBeCloseTo(1 / 3);
});

test('no reasoning to read, or a cancelled queue, rejects', async () => {
  expect(() => iclAnswers(spec('icl'), context({ reasoning: { ok: false, why: 'no large-model provider is set on the Reasoning tab' } }))).toThrow('no large-model provider');
  const controller = new AbortController();
  controller.abort('cancel');
  await expect(createAnswerWithoutTraining(() => Promise.resolve(context()))(spec('icl'), controller.signal)).rejects.toBe('cancel');
});
