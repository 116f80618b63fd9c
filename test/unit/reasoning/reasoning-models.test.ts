import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { exampleAgreement, summariseAgreement, type AnswerTask } from '../../../src/fiat/reasoning/agreement.ts';
import { ATTRIBUTION_VERBALIZER } from '../../../src/fiat/reasoning/answer-normalise.ts';
import { compileAnswerPattern, DEFAULT_ANSWER_PATTERN_SETTINGS } from '../../../src/fiat/reasoning/answer-pattern.ts';
import { planReasoningBatch, type ReasoningJob } from '../../../src/fiat/reasoning/batch-plan.ts';
import { runReasoningBatch } from '../../../src/fiat/reasoning/batch-runner.ts';
import { betaParts, betaReasoningOf, isFinished, readFinalAnswer, unfinishedReason } from '../../../src/fiat/reasoning/beta-output.ts';
import { MemoryReasoningCache, type ReasoningCacheEntry } from '../../../src/fiat/reasoning/cache.ts';
import { parseReasoningCacheExport, toReasoningCacheExport } from '../../../src/fiat/reasoning/cache-export.ts';
import { summarisePlan } from '../../../src/fiat/reasoning/plan-summary.ts';
import { previewReasoning } from '../../../src/fiat/reasoning/preview.ts';
import { ReasoningDb } from '../../../src/fiat/storage/reasoning-db.ts';
import { ReasoningCacheRepository } from '../../../src/fiat/storage/reasoning-cache-repository.ts';
import { OpenAICompatibleProvider } from '../../../src/providers/openai-compatible.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';
import type { GenerationParams } from '../../../src/providers/types.ts';
import { reasoningModelText } from '../../support/openai-server.ts';
import { openAIServerPerFile } from '../../support/openai-server-hooks.ts';

// ŷ_β from a reasoning model (reasoning + final answer), and generations cut at max tokens or empty:
// kept, never counted as a finished reasoning.

const server = openAIServerPerFile();
const provider = () => new OpenAICompatibleProvider({ settings: defaultProviderSettings({ id: 'p', baseUrl: server().baseUrl, model: 'fake-reasoner' }) });
const params: GenerationParams = { temperature: 0, maxTokens: 256, stop: [] };
const regex = (() => {
  const compiled = compileAnswerPattern(DEFAULT_ANSWER_PATTERN_SETTINGS);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.regex;
})();
const attribution: AnswerTask = { kind: 'classification', verbalizer: ATTRIBUTION_VERBALIZER };
const jobs = (n: number): ReasoningJob[] =>
  Array.from({ length: n }, (_, i) => ({ exampleId: `ex-${i}`, messages: [{ role: 'user', content: `Check [ex-${i}] <<answer:supported>>` }] }));

describe('ŷ_β from a reply', () => {
  it('is the reasoning then the final answer; the answer pattern reads the final answer, falling back to the whole text', () => {
    const beta = betaReasoningOf({ reasoning: '\nIt says 300 + 8. So the answer is 300?\n', content: '\n\nSo the answer is 308.' });
    expect(beta).toEqual({ reasoning: 'It says 300 + 8. So the answer is 300?\n\nSo the answer is 308.', answerFrom: 'It says 300 + 8. So the answer is 300?\n\n'.length });
    expect(betaParts(beta)).toEqual({ thought: 'It says 300 + 8. So the answer is 300?', answer: 'So the answer is 308.' });
    expect(readFinalAnswer(beta, regex)).toBe('308');
    // A final answer the pattern does not match: the whole text is read (its last match wins).
    expect(readFinalAnswer(betaReasoningOf({ reasoning: 'So the answer is 308.', content: '**308**' }), regex)).toBe('308');
    // No reasoning apart: the content is ŷ_β unchanged, as before reasoning fields were read.
    expect(betaReasoningOf({ reasoning: '', content: ' So the answer is yes. ' })).toEqual({ reasoning: ' So the answer is yes. ' });
  });

  it('a generation stopped at max tokens or empty is not finished', () => {
    expect(unfinishedReason({ reasoning: 'half a thought', finishReason: 'length' })).toBe('length');
    expect(unfinishedReason({ reasoning: ' \n', finishReason: 'stop' })).toBe('empty');
    expect(isFinished({ reasoning: 'So the answer is yes.', finishReason: 'stop' })).toBe(true);
    expect(isFinished({ reasoning: 'So the answer is yes.', finishReason: null })).toBe(true);
  });

  it('agreement reads the final answer of a reasoning model, and counts a truncated one apart', () => {
    const gold = { kind: 'label' as const, label: 1 };
    const model = betaReasoningOf({ reasoning: 'Maybe not supported. Checking again, it is supported.', content: 'So the answer is supported.' });
    const items = [
      exampleAgreement('a', { ...model, finishReason: 'stop' }, gold, regex, attribution),
      exampleAgreement('b', { reasoning: 'So the answer is supported. But', finishReason: 'length' }, gold, regex, attribution),
      exampleAgreement('c', { reasoning: '', finishReason: 'stop' }, gold, regex, attribution),
    ];
    expect(items.map((i) => i.status)).toEqual(['agrees', 'truncated', 'truncated']);
    expect(summariseAgreement(items)).toMatchObject({ agrees: 1, truncated: 2, rate: 1 });
  });
});

describe('reasoning models and truncated generations over the test server', () => {
  it('a batch caches ŷ_β = reasoning + final answer, with reasoning tokens', async () => {
    server().configure({ reasoningField: 'reasoning_content' });
    const cache = new MemoryReasoningCache();
    const [job] = jobs(1);
    const report = await runReasoningBatch({ provider: provider(), cache, jobs: [job!], params });
    expect(report).toMatchObject({ status: 'completed', generated: 1, truncated: 0 });
    const entry = [...cache.entries.values()][0]!;
    const expected = reasoningModelText(job!.messages[0]!.content, 'supported');
    expect(entry.reasoning).toBe(`${expected.reasoning}\n\n${expected.content}`);
    expect(betaParts(entry)).toEqual({ thought: expected.reasoning, answer: expected.content });
    expect(entry.usage.reasoningTokens).toBe(expected.reasoning.split(' ').length);
  });

  it('a batch keeps a truncated or empty generation apart: not done, not retried; the plan counts it and Resume with more max tokens redoes it', async () => {
    server().configure({ reasoningField: 'reasoning' });
    server().enqueueFor('[ex-2]', { kind: 'empty' });
    const cache = new MemoryReasoningCache();
    const small = { ...params, maxTokens: 5 };
    // ex-0 and ex-1 stop inside their reasoning (5 words); ex-2 comes back empty.
    const report = await runReasoningBatch({ provider: provider(), cache, jobs: jobs(3), params: small });
    expect(report).toMatchObject({ status: 'completed-with-failures', done: 0, generated: 0, truncated: 3, failed: 0, requests: 3 });
    expect(report.outcomes.map((o) => (o.status === 'truncated' ? o.reason : o.status))).toEqual(['length', 'length', 'empty']);
    expect(cache.entries.size).toBe(3);

    const identity = provider().describe().identity;
    const plan = await planReasoningBatch(identity, small, jobs(3), cache);
    expect(plan).toMatchObject({ truncated: 3 });
    expect(plan.cached.size).toBe(0);
    expect(plan.toGenerate).toHaveLength(3);

    // Resume at the same max tokens sends them again (and they stop again); more max tokens finishes them.
    server().reset();
    server().configure({ reasoningField: 'reasoning' });
    const resumed = await runReasoningBatch({ provider: provider(), cache, jobs: jobs(3).slice(2), params: small });
    expect(resumed).toMatchObject({ status: 'completed-with-failures', truncated: 1, requests: 1 });
    expect(resumed.outcomes[0]).toMatchObject({ status: 'truncated', reason: 'length' });
    const larger = await runReasoningBatch({ provider: provider(), cache, jobs: jobs(3), params });
    expect(larger).toMatchObject({ status: 'completed', generated: 3, truncated: 0 });
  });

  it('the preview returns and keeps a truncated generation, generates again next time, and never overwrites a finished one with it', async () => {
    server().configure({ reasoningField: 'reasoning_content' });
    const cache = new MemoryReasoningCache();
    const messages = jobs(1)[0]!.messages;
    const cut = await previewReasoning({ provider: provider(), cache, messages, params: { ...params, maxTokens: 4 } });
    expect(cut.entry).toMatchObject({ finishReason: 'length' });
    expect(unfinishedReason(cut.entry)).toBe('length');
    expect(cache.entries.size).toBe(1);
    // Not served from the cache: a second preview generates again.
    const again = await previewReasoning({ provider: provider(), cache, messages, params: { ...params, maxTokens: 4 } });
    expect(again.fromCache).toBe(false);
    expect(server().stats().chatRequests).toBe(2);

    const finished = await previewReasoning({ provider: provider(), cache, messages, params });
    expect(isFinished(finished.entry)).toBe(true);
    server().enqueue({ kind: 'empty' });
    const empty = await previewReasoning({ provider: provider(), cache, messages, params, regenerate: true });
    expect(unfinishedReason(empty.entry)).toBe('empty');
    expect(cache.entries.get(finished.entry.key)?.reasoning).toBe(finished.entry.reasoning);
  });
});

describe('the plan summary and the cache export with truncated entries', () => {
  const hex = (n: number) => n.toString(16).padStart(64, '0');
  const entry = (n: number, overrides: Partial<ReasoningCacheEntry> = {}): ReasoningCacheEntry => ({
    key: hex(n),
    endpoint: 'http://127.0.0.1:8000/v1',
    model: 'qwen3',
    params,
    promptHash: hex(100 + n),
    reasoning: 'Thinking.\n\nSo the answer is yes.',
    answerFrom: 'Thinking.\n\n'.length,
    finishReason: 'stop',
    usage: { promptTokens: 3, completionTokens: 6, reasoningTokens: 1, estimated: false },
    latencyMs: 5,
    createdAt: 1_700_000_000_000 + n,
    ...overrides,
  });

  it('counts truncated examples apart and plans them again', () => {
    const keys = new Map([['a', 'k1'], ['b', 'k2'], ['c', 'k3']]);
    const entries = new Map([['a', entry(1)], ['b', entry(2, { finishReason: 'length', usage: { promptTokens: 3, completionTokens: 256, estimated: false } })]]);
    const plan = summarisePlan({ exampleIds: ['a', 'b', 'c'], keys, entries, promptTokens: new Map(), maxTokens: 256 });
    expect(plan).toMatchObject({ cached: 1, truncated: 1, toGenerate: 2, completionTokensEach: 6 });
  });

  it('round-trips answerFrom and reasoning tokens; an answerFrom past the text is refused; a finished import replaces a truncated entry only', async () => {
    const exported = JSON.parse(JSON.stringify(toReasoningCacheExport([entry(1), entry(2, { finishReason: 'length' })]))) as unknown;
    const parsed = parseReasoningCacheExport(exported);
    expect(parsed).toEqual({ ok: true, entries: [entry(1), entry(2, { finishReason: 'length' })] });
    const bad = toReasoningCacheExport([entry(1, { answerFrom: 999 })]);
    expect(parseReasoningCacheExport(bad)).toMatchObject({ ok: false, message: expect.stringMatching(/^reasoning cache entries\[0\]\.answerFrom: /) as unknown });

    const repo = new ReasoningCacheRepository(new ReasoningDb('models', { indexedDB: new IDBFactory(), IDBKeyRange }));
    await repo.put(entry(1, { reasoning: 'cut', answerFrom: undefined, finishReason: 'length' }));
    await repo.put(entry(3, { reasoning: 'mine, kept' }));
    const file = toReasoningCacheExport([entry(1), entry(3)]);
    expect(await repo.importEntries(file)).toEqual({ ok: true, added: 1, kept: 1 });
    expect((await repo.get(hex(1)))?.finishReason).toBe('stop');
    expect((await repo.get(hex(3)))?.reasoning).toBe('mine, kept');
    repo.db.close();
  });
});
