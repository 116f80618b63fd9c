import { describe, expect, it } from 'vitest';
import { runReasoningBatch, type BatchProgress, type BatchEvent } from '../../../src/fiat/reasoning/batch-runner.ts';
import { planReasoningBatch, type ReasoningJob } from '../../../src/fiat/reasoning/batch-plan.ts';
import { MemoryReasoningCache } from '../../../src/fiat/reasoning/cache.ts';
import { ProviderError } from '../../../src/providers/errors.ts';
import type { GenerationParams } from '../../../src/providers/types.ts';
import { fakeClock, FakeProvider } from '../../support/fake-reasoning.ts';

const params: GenerationParams = { temperature: 0, maxTokens: 256, stop: [] };

/** I_β rendered for n examples; `instruction` stands for the user's I_β text. */
function jobs(n: number, instruction = 'Think step by step.'): ReasoningJob[] {
  return Array.from({ length: n }, (_, i) => ({ exampleId: `ex-${i}`, messages: [{ role: 'user', content: `${instruction}\nQuestion ${i}` }] }));
}
const promptFor = (i: number, instruction = 'Think step by step.') => `${instruction}\nQuestion ${i}`;

describe('runReasoningBatch', () => {
  it('generates every example once and caches it; a second run makes zero requests', async () => {
    const provider = new FakeProvider();
    const cache = new MemoryReasoningCache();
    const first = await runReasoningBatch({ provider, cache, jobs: jobs(10), params, clock: fakeClock() });
    expect(first.status).toBe('completed');
    expect(first.generated).toBe(10);
    expect(provider.calls).toHaveLength(10);
    expect(cache.entries.size).toBe(10);
    expect(first.outcomes.every((o) => o.status === 'generated')).toBe(true);

    const second = await runReasoningBatch({ provider, cache, jobs: jobs(10), params, clock: fakeClock() });
    expect(provider.calls).toHaveLength(10);
    expect(second).toMatchObject({ status: 'completed', cached: 10, generated: 0, requests: 0, done: 10 });
  });

  it('observes the concurrency limit (default 4, or as set)', async () => {
    const byDefault = new FakeProvider();
    await runReasoningBatch({ provider: byDefault, cache: new MemoryReasoningCache(), jobs: jobs(12), params });
    expect(byDefault.maxInFlight).toBe(4);
    const two = new FakeProvider();
    await runReasoningBatch({ provider: two, cache: new MemoryReasoningCache(), jobs: jobs(12), params, concurrency: 2 });
    expect(two.maxInFlight).toBe(2);
  });

  it('requests a prompt shared by several examples once', async () => {
    const provider = new FakeProvider();
    const shared: ReasoningJob[] = [
      { exampleId: 'a', messages: [{ role: 'user', content: 'same' }] },
      { exampleId: 'b', messages: [{ role: 'user', content: 'same' }] },
      { exampleId: 'c', messages: [{ role: 'user', content: 'other' }] },
    ];
    const report = await runReasoningBatch({ provider, cache: new MemoryReasoningCache(), jobs: shared, params });
    expect(provider.calls.sort()).toEqual(['other', 'same']);
    expect(report.generated).toBe(3);
    expect(report.outcomes.map((o) => o.exampleId)).toEqual(['a', 'b', 'c']);
  });

  it('editing I_β requests only the prompts that changed; I_τ is not part of the key', async () => {
    const provider = new FakeProvider();
    const cache = new MemoryReasoningCache();
    await runReasoningBatch({ provider, cache, jobs: jobs(6), params });
    // The new I_β changes the rendered prompt of examples 1 and 4 only (e.g. a variable they alone fill).
    const edited = jobs(6).map((job, i) => (i === 1 || i === 4 ? { ...job, messages: [{ role: 'user' as const, content: `${promptFor(i)} (edited)` }] } : job));
    const calls = provider.calls.length;
    const report = await runReasoningBatch({ provider, cache, jobs: edited, params });
    expect(provider.calls.slice(calls).sort()).toEqual([`${promptFor(1)} (edited)`, `${promptFor(4)} (edited)`]);
    expect(report).toMatchObject({ cached: 4, generated: 2 });
  });

  it('changing a generation parameter or the model is a cache miss', async () => {
    const cache = new MemoryReasoningCache();
    const provider = new FakeProvider();
    await runReasoningBatch({ provider, cache, jobs: jobs(2), params });
    await runReasoningBatch({ provider, cache, jobs: jobs(2), params: { ...params, temperature: 0.7 } });
    expect(provider.calls).toHaveLength(4);
    const other = new FakeProvider('http://fake.test/v1', 'another-model');
    await runReasoningBatch({ provider: other, cache, jobs: jobs(2), params });
    expect(other.calls).toHaveLength(2);
  });

  it('retries 429/5xx/network with backoff, honouring Retry-After exactly, and records retries', async () => {
    const provider = new FakeProvider();
    provider.fail(promptFor(0), new ProviderError('rate-limit', '429', { status: 429, retryAfterMs: 7000 }));
    provider.fail(promptFor(1), new ProviderError('server', '500', { status: 500 }), new ProviderError('network', 'dropped'));
    const clock = fakeClock();
    const events: BatchEvent[] = [];
    const report = await runReasoningBatch({
      provider,
      cache: new MemoryReasoningCache(),
      jobs: jobs(2),
      params,
      clock,
      concurrency: 1,
      random: () => 0.5,
      retry: { baseDelayMs: 1000, jitter: 0.5 },
      onEvent: (e) => events.push(e),
    });
    expect(report).toMatchObject({ status: 'completed', generated: 2, retries: 3, requests: 5 });
    // Retry-After 7 s exactly; then backoff 1000 and 2000 with half jitter at random 0.5 -> 750, 1500.
    expect(clock.sleeps).toEqual([7000, 750, 1500]);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.attempt)).toEqual([1, 1, 2]);
    expect(report.outcomes[1]).toMatchObject({ status: 'generated', attempts: 3 });
  });

  it('a Retry-After holds back the other workers too', async () => {
    const provider = new FakeProvider();
    provider.fail(promptFor(0), new ProviderError('rate-limit', '429', { status: 429, retryAfterMs: 5000 }));
    // Time stands still, so every request started after the 429 must first wait out the pause.
    const clock = fakeClock(0, { advanceOnSleep: false });
    await runReasoningBatch({ provider, cache: new MemoryReasoningCache(), jobs: jobs(6), params, clock, concurrency: 2 });
    expect(provider.completionsTotal()).toBe(6);
    // the retry of example 0, and the other worker's later requests, all waited 5 s
    expect(clock.sleeps.length).toBeGreaterThan(1);
    expect(clock.sleeps.every((ms) => ms === 5000)).toBe(true);
  });

  it('gives up after max attempts, keeps what finished, and reports the rest as failed', async () => {
    const provider = new FakeProvider();
    // three 500s: enough to exhaust 3 attempts; the server has recovered by the resume
    const always500 = Array.from({ length: 3 }, () => new ProviderError('server', 'HTTP 500', { status: 500 }));
    provider.fail(promptFor(2), ...always500);
    const cache = new MemoryReasoningCache();
    const report = await runReasoningBatch({ provider, cache, jobs: jobs(5), params, clock: fakeClock(), retry: { maxAttempts: 3 } });
    expect(report.status).toBe('completed-with-failures');
    expect(report).toMatchObject({ generated: 4, failed: 1, done: 4 });
    expect(report.outcomes[2]).toMatchObject({ status: 'failed', attempts: 3, error: { kind: 'server' } });
    if (report.outcomes[2]?.status === 'failed') expect(report.outcomes[2].error.message).toMatch(/gave up after 3 attempts/);
    expect(cache.entries.size).toBe(4);
    // resume: only the failed one is requested again
    const before = provider.calls.length;
    const again = await runReasoningBatch({ provider, cache, jobs: jobs(5), params, clock: fakeClock() });
    expect(provider.calls.length - before).toBe(1);
    expect(again).toMatchObject({ status: 'completed', cached: 4, generated: 1 });
  });

  it('does not retry a bad request, and a Retry-After beyond the limit fails with a clear message', async () => {
    const provider = new FakeProvider();
    provider.fail(promptFor(0), new ProviderError('bad-request', 'prompt too long', { status: 400 }));
    provider.fail(promptFor(1), new ProviderError('rate-limit', '429', { status: 429, retryAfterMs: 3_600_000 }));
    const report = await runReasoningBatch({ provider, cache: new MemoryReasoningCache(), jobs: jobs(2), params, clock: fakeClock() });
    expect(report.outcomes[0]).toMatchObject({ status: 'failed', attempts: 1, error: { kind: 'bad-request', message: 'prompt too long' } });
    expect(report.outcomes[1]).toMatchObject({ status: 'failed', attempts: 1 });
    if (report.outcomes[1]?.status === 'failed') expect(report.outcomes[1].error.message).toMatch(/asked to wait 3600 s/);
  });

  it('stops the batch on an auth error instead of failing every request', async () => {
    const provider = new FakeProvider();
    provider.fail(promptFor(0), new ProviderError('auth', 'HTTP 401 (check the API key)', { status: 401 }));
    const report = await runReasoningBatch({ provider, cache: new MemoryReasoningCache(), jobs: jobs(20), params, concurrency: 1 });
    expect(report.status).toBe('stopped');
    expect(report.stoppedBy).toMatchObject({ kind: 'auth' });
    expect(provider.calls).toHaveLength(1);
    expect(report.outcomes.filter((o) => o.status === 'not-run')).toHaveLength(19);
  });

  it('cancel, then resume, finishes every example exactly once', async () => {
    const provider = new FakeProvider();
    const cache = new MemoryReasoningCache();
    const controller = new AbortController();
    const first = await runReasoningBatch({
      provider,
      cache,
      jobs: jobs(20),
      params,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'outcome' && e.outcome.status === 'generated' && cache.entries.size >= 5) controller.abort();
      },
    });
    expect(first.status).toBe('cancelled');
    expect(first.generated).toBeGreaterThanOrEqual(5);
    expect(first.generated).toBeLessThan(20);
    expect(first.outcomes.some((o) => o.status === 'not-run')).toBe(true);
    expect(cache.entries.size).toBe(first.generated);

    const second = await runReasoningBatch({ provider, cache, jobs: jobs(20), params });
    expect(second.status).toBe('completed');
    expect(second.cached + second.generated).toBe(20);
    expect(first.generated + second.generated).toBe(20);
    // each prompt completed exactly once across both runs
    expect([...provider.completions.values()].every((n) => n === 1)).toBe(true);
    expect(provider.completions.size).toBe(20);
    expect(cache.entries.size).toBe(20);
  });

  it('an aborted signal before the start sends nothing', async () => {
    const provider = new FakeProvider();
    const report = await runReasoningBatch({ provider, cache: new MemoryReasoningCache(), jobs: jobs(3), params, signal: AbortSignal.abort() });
    expect(report.status).toBe('cancelled');
    expect(provider.calls).toHaveLength(0);
  });

  it('reports progress with done/failed/total, an ETA from the completion rate, usage and cost', async () => {
    const provider = new FakeProvider();
    provider.fail(promptFor(3), new ProviderError('bad-request', 'no'));
    const clock = fakeClock();
    // each request takes 1 virtual second
    const timed = new Proxy(provider, {
      get(target, prop, receiver) {
        if (prop === 'stream') {
          return (...args: Parameters<FakeProvider['stream']>) => {
            clock.advance(1000);
            return target.stream(...args);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const progress: BatchProgress[] = [];
    const report = await runReasoningBatch({
      provider: timed,
      cache: new MemoryReasoningCache(),
      jobs: jobs(4),
      params,
      clock,
      concurrency: 1,
      price: { input: 1, output: 2 },
      onProgress: (p) => progress.push(p),
    });
    expect(progress[0]).toMatchObject({ total: 4, done: 0, etaMs: null });
    const afterFirst = progress.find((p) => p.done === 1);
    expect(afterFirst?.etaMs).toBe(3000);
    expect(report).toMatchObject({ total: 4, done: 3, failed: 1, etaMs: 0 });
    expect(report.usage).toEqual({ promptTokens: 30, completionTokens: 15, estimated: false });
    expect(report.cost).toBeCloseTo((30 * 1 + 15 * 2) / 1e6, 12);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('a failing cache stops the batch (paid reasoning that cannot be kept)', async () => {
    const provider = new FakeProvider();
    const cache = new MemoryReasoningCache();
    cache.put = () => Promise.reject(new Error('QuotaExceededError'));
    const report = await runReasoningBatch({ provider, cache, jobs: jobs(8), params, concurrency: 1 });
    expect(report.status).toBe('stopped');
    expect(report.stoppedBy).toMatchObject({ kind: 'storage' });
    expect(provider.calls).toHaveLength(1);
  });

  it('refuses duplicate example ids', async () => {
    const dup = [...jobs(2), ...jobs(1)];
    await expect(runReasoningBatch({ provider: new FakeProvider(), cache: new MemoryReasoningCache(), jobs: dup, params })).rejects.toThrow(/unique/);
  });
});

describe('planReasoningBatch', () => {
  it('counts cached prompts, prompts to generate, and duplicates without sending anything', async () => {
    const provider = new FakeProvider();
    const cache = new MemoryReasoningCache();
    await runReasoningBatch({ provider, cache, jobs: jobs(3), params });
    const more = [...jobs(5), { exampleId: 'copy', messages: [{ role: 'user' as const, content: promptFor(4) }] }];
    const plan = await planReasoningBatch(provider.describe().identity, params, more, cache);
    expect(plan.cached.size).toBe(3);
    expect(plan.toGenerate.map((p) => p.exampleIds)).toEqual([['ex-3'], ['ex-4', 'copy']]);
    expect(plan.duplicates).toBe(1);
    expect(provider.calls).toHaveLength(3);
  });

  it('takes the keys its jobs carry (the cache-key query computed them) instead of hashing again', async () => {
    const provider = new FakeProvider();
    const cache = new MemoryReasoningCache();
    await runReasoningBatch({ provider, cache, jobs: jobs(1), params });
    const [stored] = cache.entries.values();
    // A job keyed as the stored entry is cached under that key, whatever its messages hash to.
    const given = [{ exampleId: 'a', messages: [{ role: 'user' as const, content: 'other text' }], key: stored!.key }, ...jobs(2).slice(1)];
    const plan = await planReasoningBatch(provider.describe().identity, params, given, cache);
    expect(plan.keys[0]).toBe(stored!.key);
    expect(plan.cached.size).toBe(1);
    expect(plan.toGenerate.map((p) => p.exampleIds)).toEqual([['ex-1']]);
  });
});
