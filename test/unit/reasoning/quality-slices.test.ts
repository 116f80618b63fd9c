import { describe, expect, it } from 'vitest';
import { compileAnswerPattern, DEFAULT_ANSWER_PATTERN_SETTINGS } from '../../../src/fiat/reasoning/answer-pattern.ts';
import { exampleAgreement } from '../../../src/fiat/reasoning/agreement.ts';
import type { ReasoningCacheEntry } from '../../../src/fiat/reasoning/cache.ts';
import { summarisePlanInSlices } from '../../../src/fiat/reasoning/plan-summary.ts';
import { agreementsForInSlices, answerTaskOf, goldOf, scopeQualityInSlices, trainingKeepInSlices } from '../../../src/fiat/reasoning/quality.ts';
import type { Example, TaskSpec } from '../../../src/fiat/task/task.ts';

// Many examples, so that each sliced pass yields several times: the result is the whole pass's.
const N = 25_000;
const spec: TaskSpec = { kind: 'classification', labels: [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }] };
const examples: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `e${i}`, lang: 'en', split: i % 10 === 9 ? 'validation' : 'train', question: 'q', passage: 'p', answer: 'a', label: i % 2 === 0 ? '1' : '0',
}));
const entry = (text: string): ReasoningCacheEntry => ({
  key: 'k', endpoint: 'http://127.0.0.1:11434/v1', model: 'm', params: { temperature: 0, maxTokens: 100, stop: [] }, promptHash: 'k',
  reasoning: text, finishReason: 'stop', createdAt: 0, latencyMs: 1, usage: { promptTokens: 1, completionTokens: 10, estimated: false },
});
// Every third example has a reasoning: it answers "supported".
const reasonings = new Map(examples.filter((_, i) => i % 3 === 0).map((e) => [e.id, entry('So the answer is supported')] as const));
const pattern = (() => {
  const compiled = compileAnswerPattern(DEFAULT_ANSWER_PATTERN_SETTINGS);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.regex;
})();

function drain<T>(work: Generator<number, T, void>): { yields: number; value: T } {
  let yields = 0;
  for (;;) {
    const step = work.next();
    if (step.done) return { yields, value: step.value };
    yields += 1;
  }
}

describe('sliced passes over many examples', () => {
  const agreements = drain(agreementsForInSlices(spec, examples, reasonings, pattern, {}));

  it('agreements: one per example, as read one at a time', () => {
    expect(agreements.yields).toBeGreaterThan(1);
    expect(agreements.value.size).toBe(N);
    const task = answerTaskOf(spec, {});
    for (const i of [0, 1, 2, 3, N - 1]) {
      const e = examples[i]!;
      expect(agreements.value.get(e.id)).toEqual(exampleAgreement(e.id, reasonings.get(e.id), goldOf(spec, e), pattern, task));
    }
  });

  it('quality and training keep count every example', () => {
    const quality = drain(scopeQualityInSlices(spec, examples, agreements.value));
    expect(quality.yields).toBeGreaterThan(1);
    const withReasoning = reasonings.size;
    const agreeing = examples.filter((e, i) => i % 3 === 0 && e.label === '1').length;
    expect(quality.value.summary).toMatchObject({ total: N, missing: N - withReasoning, agrees: agreeing, disagrees: withReasoning - agreeing });
    const keep = drain(trainingKeepInSlices(examples, agreements.value));
    expect(keep.yields).toBeGreaterThan(1);
    const train = examples.filter((e) => e.split === 'train');
    expect(keep.value).toEqual({
      total: train.length,
      kept: train.filter((e) => agreements.value.get(e.id)?.status === 'agrees').length,
      missing: train.filter((e) => !reasonings.has(e.id)).length,
    });
  });

  it('the plan takes examples or their ids alike', () => {
    const keys = new Map(examples.map((e) => [e.id, `key-${e.id}`]));
    const input = { keys, entries: reasonings, promptTokens: new Map(), maxTokens: 100 };
    const fromExamples = drain(summarisePlanInSlices({ ...input, exampleIds: examples }));
    expect(fromExamples.yields).toBeGreaterThan(1);
    expect(fromExamples.value).toEqual(drain(summarisePlanInSlices({ ...input, exampleIds: examples.map((e) => e.id) })).value);
    expect(fromExamples.value).toMatchObject({ examples: N, cached: reasonings.size, toGenerate: N - reasonings.size });
  });
});
