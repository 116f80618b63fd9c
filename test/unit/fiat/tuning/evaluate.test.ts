// Evaluation over a scripted engine: what is asked of the engine, and that the report is the metrics of the
// predictions it returns (checked here by hand, independently of fiat/metrics' own tests).
import { expect, test } from 'vitest';
import type { GenerateRequest, LabelScoreRequest } from '../../../../src/engine/engine.ts';
import { evaluateExamples } from '../../../../src/fiat/tuning/evaluate.ts';
import type { Example, TaskSpec } from '../../../../src/fiat/task/task.ts';

const example = (id: string, lang: string, fields: Partial<Example>): Example => ({ id, split: 'validation', lang, question: 'q', passage: 'p', answer: null, ...fields });

test('classification: every verbalizer scored; the most probable label is the prediction, the positive probability kept', async () => {
  const spec: TaskSpec = { kind: 'classification', labels: [{ value: '0', verbalizer: 'not supported' }, { value: '1', verbalizer: 'supported' }] };
  const examples = [
    { example: example('a', 'fi', { label: '1', answer: 'x' }), prompt: 'P-a' },
    { example: example('b', 'fi', { label: '0', answer: 'x' }), prompt: 'P-b' },
    { example: example('c', 'ja', { label: '1', answer: 'x' }), prompt: 'P-c' },
  ];
  const asked: LabelScoreRequest[] = [];
  const probabilities: Record<string, number[]> = { 'P-a': [0.2, 0.8], 'P-b': [0.3, 0.7], 'P-c': [0.9, 0.1] };
  const engine = {
    scoreLabels: (request: LabelScoreRequest) => {
      asked.push(request);
      return Promise.resolve(request.prompts.map((p) => ({ probabilities: probabilities[p]!, logprobs: probabilities[p]!.map(Math.log), best: probabilities[p]![1]! > 0.5 ? 1 : 0 })));
    },
    generate: () => Promise.reject(new Error('no generation for classification')),
  };
  const { report, predictions } = await evaluateExamples(engine, spec, examples, { adapter: { kind: 'trained' } });
  expect(asked).toEqual([{ prompts: ['P-a', 'P-b', 'P-c'], labels: ['not supported', 'supported'], adapter: { kind: 'trained' } }]);
  expect(predictions.map((p) => p.output)).toEqual(['supported', 'supported', 'not supported']);
  // a right, b wrong, c wrong: accuracy 1/3 overall; fi 1/2, ja 0/1, macro 1/4.
  expect(report.overall.values.accuracy).toBeCloseTo(1 / 3, 12);
  expect(report.macro.accuracy!.value).toBeCloseTo(1 / 4, 12);
  // AUC-PR over (0.8, +), (0.7, -), (0.1, +): ranks + - + -> precisions 1 and 2/3 at the positives: (1 + 2/3) / 2.
  expect(report.overall.values['auc-pr']).toBeCloseTo(5 / 6, 12);
});

test('extractive QA: a greedy first line per example; the no-answer text is no answer', async () => {
  const spec: TaskSpec = { kind: 'extractive-qa', noAnswer: 'No answer.' };
  const examples = [
    { example: example('a', 'ar', { answer: 'the Nile' }), prompt: 'P-a' },
    { example: example('b', 'ar', { answer: null }), prompt: 'P-b' },
    { example: example('c', 'ko', { answer: 'Seoul' }), prompt: 'P-c' },
  ];
  const outputs: Record<string, string> = { 'P-a': ' Nile', 'P-b': 'No answer.', 'P-c': 'Busan' };
  const asked: GenerateRequest[] = [];
  const engine = {
    scoreLabels: () => Promise.reject(new Error('no scoring for QA')),
    generate: (request: GenerateRequest) => {
      asked.push(request);
      const text = outputs[(request.prompt as { text: string }).text]!;
      return Promise.resolve({ ids: [1], text, finishReason: 'stop' as const, promptTokens: 3, timings: { prefillMs: 0, decodeMs: 0 } });
    },
  };
  const seen: number[] = [];
  const { report, predictions } = await evaluateExamples(engine, spec, examples, { maxNewTokens: 12, onProgress: (done) => seen.push(done) });
  expect(asked.map((r) => [r.maxNewTokens, r.stop])).toEqual([[12, ['\n']], [12, ['\n']], [12, ['\n']]]);
  expect(predictions.map((p) => p.output)).toEqual(['Nile', null, 'Busan']);
  expect(seen).toEqual([1, 2, 3]);
  // "Nile" vs "the Nile": normalised both "nile": EM 1, F1 1. no-answer vs no-answer: 1, 1. "Busan" vs "Seoul": 0, 0.
  expect(report.overall.values['exact-match']).toBeCloseTo(2 / 3, 12);
  expect(report.overall.values['token-f1']).toBeCloseTo(2 / 3, 12);
});
