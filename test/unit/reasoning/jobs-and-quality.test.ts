import { describe, expect, it } from 'vitest';
import type { Exemplar } from '../../../src/fiat/exemplars/exemplars.ts';
import { betaPrompts } from '../../../src/fiat/prompt/assemble.ts';
import { compileAnswerPattern, DEFAULT_ANSWER_PATTERN_SETTINGS } from '../../../src/fiat/reasoning/answer-pattern.ts';
import { planReasoningBatch } from '../../../src/fiat/reasoning/batch-plan.ts';
import { MemoryReasoningCache, type ReasoningCacheEntry } from '../../../src/fiat/reasoning/cache.ts';
import { reasoningCacheKey } from '../../../src/fiat/reasoning/cache-key.ts';
import { examplesInScope } from '../../../src/fiat/reasoning/jobs.ts';
import { summarisePlan } from '../../../src/fiat/reasoning/plan-summary.ts';
import { agreementsFor, answerTaskOf, scopeQuality, trainingKeep } from '../../../src/fiat/reasoning/quality.ts';
import type { Example, TaskSpec } from '../../../src/fiat/task/task.ts';
import type { GenerationParams } from '../../../src/providers/types.ts';

const classification: TaskSpec = { kind: 'classification', labels: [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }] };
const qa: TaskSpec = { kind: 'extractive-qa', noAnswer: 'no answer' };
const example = (id: string, over: Partial<Example> = {}): Example => ({
  id, lang: 'en', split: 'train', question: `q-${id}`, passage: `p-${id}`, answer: `a-${id}`, label: '1', ...over,
});
const exemplar = (id: string, lang: string | null): Exemplar => ({
  id, exampleId: null, lang, question: `eq-${id}`, passage: 'ep', answer: 'ea', reasoning: 'because', label: '1',
});
const pattern = (() => {
  const compiled = compileAnswerPattern(DEFAULT_ANSWER_PATTERN_SETTINGS);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.regex;
})();
const identity = { endpoint: 'http://127.0.0.1:11434/v1', model: 'm' };
const params: GenerationParams = { temperature: 0, maxTokens: 100, stop: [] };
function reasoningJobs(spec: TaskSpec, examples: readonly Example[], beta: string, exemplars: readonly Exemplar[]) {
  const prompts = betaPrompts(spec, beta, exemplars, examples);
  if (!prompts.ok) throw new Error(prompts.errors[0]?.message);
  return prompts.jobs;
}

function entryFor(key: string, completionTokens = 20): ReasoningCacheEntry {
  return {
    key, endpoint: identity.endpoint, model: 'm', params, promptHash: key, reasoning: 'x. So the answer is supported.', finishReason: 'stop',
    usage: { promptTokens: 5, completionTokens, estimated: false }, latencyMs: 1, createdAt: 1,
  };
}

describe('batch scope', () => {
  it('scope: a split, all, or the filtered examples', () => {
    const all = [example('a'), example('b', { split: 'validation' }), example('c')];
    expect(examplesInScope(all, 'train', []).map((e) => e.id)).toEqual(['a', 'c']);
    expect(examplesInScope(all, 'validation', []).map((e) => e.id)).toEqual(['b']);
    expect(examplesInScope(all, 'all', [])).toHaveLength(3);
    expect(examplesInScope(all, 'filtered', [all[2]!]).map((e) => e.id)).toEqual(['c']);
  });
});

describe('cache keys follow only what is sent', () => {
  const examples = [example('en-1'), example('ja-1', { lang: 'ja' }), example('ja-2', { lang: 'ja' }), example('bn-1', { lang: 'bn' })];
  const beta = 'Think.\n{{exemplars}}\nQ: {{question}}';

  async function cacheAfter(jobs: ReturnType<typeof reasoningJobs>) {
    const cache = new MemoryReasoningCache();
    for (const job of jobs) await cache.put(entryFor(await reasoningCacheKey({ identity, params, messages: job.messages })));
    return cache;
  }

  it('a new exemplar for one language regenerates only that language’s prompts', async () => {
    const cache = await cacheAfter(reasoningJobs(classification, examples, beta, [exemplar('x', null)]));
    const edited = reasoningJobs(classification, examples, beta, [exemplar('x', null), exemplar('y', 'ja')]);
    const plan = await planReasoningBatch(identity, params, edited, cache);
    expect(plan.toGenerate.flatMap((p) => p.exampleIds)).toEqual(['ja-1', 'ja-2']);
    expect(plan.cached.size).toBe(2);
  });

  it('another model or temperature misses every entry; the same ones hit all', async () => {
    const jobs = reasoningJobs(classification, examples, beta, []);
    const cache = await cacheAfter(jobs);
    expect((await planReasoningBatch(identity, params, jobs, cache)).toGenerate).toEqual([]);
    expect((await planReasoningBatch(identity, { ...params, temperature: 0.7 }, jobs, cache)).toGenerate).toHaveLength(4);
    expect((await planReasoningBatch({ ...identity, model: 'other' }, params, jobs, cache)).toGenerate).toHaveLength(4);
  });

  it('the plan summary counts cached examples, distinct prompts, and estimates the cost', () => {
    const keys = new Map([['a', 'k1'], ['b', 'k2'], ['c', 'k2'], ['d', 'k3']]);
    const promptTokens = new Map([['a', 10], ['b', 100], ['c', 100], ['d', 50]]);
    const entries = new Map([['a', entryFor('k1', 30)]]);
    const price = { input: 2, output: 10 };
    const plan = summarisePlan({ exampleIds: ['a', 'b', 'c', 'd'], keys, entries, promptTokens, maxTokens: 500, price });
    expect(plan).toMatchObject({ examples: 4, cached: 1, toGenerate: 2, shared: 1, completionTokensEach: 30, fromCache: true });
    expect(plan.usage).toEqual({ promptTokens: 150, completionTokens: 60, estimated: true });
    expect(plan.cost).toBeCloseTo((150 * 2 + 60 * 10) / 1e6);
    // Nothing cached yet: max tokens is the (upper-bound) guess; no price, no cost.
    const fresh = summarisePlan({ exampleIds: ['a', 'd'], keys, entries: new Map(), promptTokens, maxTokens: 500 });
    expect(fresh).toMatchObject({ cached: 0, toGenerate: 2, completionTokensEach: 500, fromCache: false, cost: null });
  });
});

describe('reasoning quality and the ICL baseline', () => {
  it('classification: agreement per example, accuracy over examples with reasoning, coverage', () => {
    const examples = [example('a'), example('b', { label: '0' }), example('c'), example('d'), example('e', { split: 'validation' })];
    const reasonings = new Map([
      ['a', 'It is stated. So the answer is supported.'],
      ['b', 'It is stated. So the answer is supported.'],
      ['c', 'The passage is silent. So the answer is not supported.'],
      ['d', 'I am not sure.'],
    ]);
    const agreements = agreementsFor(classification, examples, reasonings, pattern, {});
    expect([...agreements.values()].map((a) => a.status)).toEqual(['agrees', 'disagrees', 'disagrees', 'unparsed', 'missing']);
    const { summary, icl } = scopeQuality(classification, examples, agreements);
    expect(summary).toMatchObject({ total: 5, agrees: 1, disagrees: 2, unparsed: 1, missing: 1 });
    expect(icl).toEqual({ metric: 'accuracy', score: 0.25, covered: 4, total: 5 });
    // Only-agreeing keeps 1 of the 4 train examples; none is left out for want of reasoning.
    expect(trainingKeep(examples, agreements)).toEqual({ total: 4, kept: 1, missing: 0 });
  });

  it('extractive QA: token F1 over examples with reasoning; the task’s no-answer text means no answer', () => {
    const examples = [example('a', { answer: 'Oslo' }), example('b', { answer: null }), example('c', { answer: 'the old town hall' }), example('d')];
    const reasonings = new Map([
      ['a', 'So the answer is Oslo.'],
      ['b', 'So the answer is no answer.'],
      ['c', 'So the answer is town hall.'],
    ]);
    const agreements = agreementsFor(qa, examples, reasonings, pattern, {});
    expect(agreements.get('b')?.status).toBe('agrees');
    const { icl } = scopeQuality(qa, examples, agreements);
    expect(icl.metric).toBe('token-f1');
    expect(icl.covered).toBe(3);
    // F1: 1 (a), 1 (b: both no answer), 0.8 (c: 2 of 3 gold tokens after dropping "the").
    expect(icl.score).toBeCloseTo((1 + 1 + 0.8) / 3);
    expect(answerTaskOf(qa, {})).toMatchObject({ kind: 'extractive-qa', noAnswerPhrases: expect.arrayContaining(['no answer']) as unknown });
  });

  it('no reasoning anywhere: no score, zero coverage', () => {
    const examples = [example('a')];
    const { icl } = scopeQuality(classification, examples, agreementsFor(classification, examples, new Map(), pattern, {}));
    expect(icl).toEqual({ metric: 'accuracy', score: null, covered: 0, total: 1 });
  });
});
