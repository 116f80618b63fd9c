import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { runReasoningBatch } from '../../../src/fiat/reasoning/batch-runner.ts';
import type { ReasoningJob } from '../../../src/fiat/reasoning/batch-plan.ts';
import { ReasoningDb } from '../../../src/fiat/storage/reasoning-db.ts';
import { ReasoningCacheRepository } from '../../../src/fiat/storage/reasoning-cache-repository.ts';
import { OpenAICompatibleProvider } from '../../../src/providers/openai-compatible.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';
import type { GenerationParams, ProviderLogEntry } from '../../../src/providers/types.ts';
import { fakeClock } from '../../support/fake-reasoning.ts';
import { reasoningText } from '../../support/openai-server.ts';
import { openAIServerPerFile } from '../../support/openai-server-hooks.ts';

// The whole path over real HTTP and SSE: provider -> batch runner -> IndexedDB cache.
const KEY = 'sk-batch-test-key-5e4d3c2b1a09';
const params: GenerationParams = { temperature: 0, maxTokens: 256, stop: [] };

const server = openAIServerPerFile({ apiKey: KEY });

function provider(log?: (e: ProviderLogEntry) => void) {
  return new OpenAICompatibleProvider({
    settings: defaultProviderSettings({ id: 'local', baseUrl: server().baseUrl, model: 'fake-reasoner' }),
    apiKey: KEY,
    idleTimeoutMs: 2000,
    ...(log ? { log } : {}),
  });
}

function jobs(n: number, instruction: (i: number) => string = () => 'Decide whether the passage supports the answer.'): ReasoningJob[] {
  return Array.from({ length: n }, (_, i) => ({
    exampleId: `ex-${i}`,
    messages: [{ role: 'user', content: `${instruction(i)}\n[example ex-${i}] <<answer:${i % 2 ? 'supported' : 'not supported'}>>` }],
  }));
}

function repository(factory = new IDBFactory()) {
  return { factory, repo: new ReasoningCacheRepository(new ReasoningDb('batch', { indexedDB: factory, IDBKeyRange })) };
}

describe('batch over the test server', () => {
  it('finishes every example once despite 429, 500, a malformed chunk and a dropped connection', async () => {
    server().enqueueFor('[example ex-1]', { kind: 'rate-limit', retryAfter: '2' });
    server().enqueueFor('[example ex-2]', { kind: 'server-error' }, { kind: 'server-error', status: 503 });
    server().enqueueFor('[example ex-3]', { kind: 'malformed-chunk', afterChunks: 2 });
    server().enqueueFor('[example ex-4]', { kind: 'drop', afterChunks: 3 });
    const logs: ProviderLogEntry[] = [];
    const clock = fakeClock();
    const { repo } = repository();
    const all = jobs(8);
    const report = await runReasoningBatch({ provider: provider((e) => logs.push(e)), cache: repo, jobs: all, params, clock, random: () => 0 });

    expect(report.status).toBe('completed');
    expect(report).toMatchObject({ total: 8, done: 8, generated: 8, failed: 0, retries: 5 });
    expect(clock.sleeps).toContain(2000); // the 429's Retry-After: 2 s, honoured exactly
    // each prompt completed by the server exactly once
    for (const job of all) {
      const prompt = job.messages[0]!.content;
      expect(server().requests.filter((r) => r.prompt === prompt && r.status === 200 && r.behaviour === 'normal')).toHaveLength(1);
      const cached = await repo.get(report.outcomes.find((o) => o.exampleId === job.exampleId)!.key);
      const i = Number(job.exampleId.slice(3));
      expect(cached?.reasoning).toBe(reasoningText(prompt, i % 2 ? 'supported' : 'not supported'));
    }
    expect(server().stats().completed).toBe(8);
    expect(server().stats().maxConcurrent).toBeLessThanOrEqual(4);
    expect(JSON.stringify(logs)).not.toContain(KEY);
  });

  it('after a reload a second batch makes zero requests; an edited I_β requests only changed prompts', async () => {
    const { factory, repo } = repository();
    await runReasoningBatch({ provider: provider(), cache: repo, jobs: jobs(6), params });
    expect(server().stats().chatRequests).toBe(6);
    repo.db.close();

    // "reload": a new database connection and a new provider instance
    const reopened = new ReasoningCacheRepository(new ReasoningDb('batch', { indexedDB: factory, IDBKeyRange }));
    server().reset();
    const again = await runReasoningBatch({ provider: provider(), cache: reopened, jobs: jobs(6), params });
    expect(again).toMatchObject({ status: 'completed', cached: 6, generated: 0, requests: 0 });
    expect(server().stats().chatRequests).toBe(0);

    // I_β edited so that only examples 0 and 5 render differently
    const edited = jobs(6, (i) => (i === 0 || i === 5 ? 'Decide carefully whether the passage supports the answer.' : 'Decide whether the passage supports the answer.'));
    const third = await runReasoningBatch({ provider: provider(), cache: reopened, jobs: edited, params });
    expect(third).toMatchObject({ cached: 4, generated: 2 });
    expect(server().requests.map((r) => r.prompt).sort()).toEqual([edited[0]!.messages[0]!.content, edited[5]!.messages[0]!.content].sort());
    reopened.db.close();
  });

  it('cancel mid-batch then resume: every example done once, nothing partial cached', async () => {
    server().configure({ chunkDelayMs: 2 });
    const { repo } = repository();
    const controller = new AbortController();
    const first = await runReasoningBatch({
      provider: provider(),
      cache: repo,
      jobs: jobs(12),
      params,
      concurrency: 3,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'outcome' && e.outcome.status === 'generated') controller.abort();
      },
    });
    expect(first.status).toBe('cancelled');
    expect(await repo.count()).toBe(first.generated);
    const second = await runReasoningBatch({ provider: provider(), cache: repo, jobs: jobs(12), params });
    expect(second.status).toBe('completed');
    expect(first.generated + second.generated).toBe(12);
    for (const job of jobs(12)) {
      expect(server().requests.filter((r) => r.prompt === job.messages[0]!.content && r.status === 200).length).toBeGreaterThanOrEqual(1);
    }
    // entries hold complete reasonings only
    for (const e of await repo.list()) expect(e.reasoning).toMatch(/So the answer is (not )?supported\.$/);
    server().configure({ chunkDelayMs: 0 });
    repo.db.close();
  });

  it('an exported cache contains no key', async () => {
    const { repo } = repository();
    await runReasoningBatch({ provider: provider(), cache: repo, jobs: jobs(3), params });
    const file = JSON.stringify(await repo.exportEntries());
    expect(file).toContain('So the answer is');
    expect(file).not.toContain(KEY);
    repo.db.close();
  });

  it('a wrong key stops the batch after the first answer, and no message carries the key', async () => {
    const wrong = 'sk-wrong-key-aaaaaaaaaaaaaaaa';
    const p = new OpenAICompatibleProvider({ settings: defaultProviderSettings({ id: 'x', baseUrl: server().baseUrl, model: 'fake-reasoner' }), apiKey: wrong });
    const { repo } = repository();
    const report = await runReasoningBatch({ provider: p, cache: repo, jobs: jobs(10), params, concurrency: 1 });
    expect(report.status).toBe('stopped');
    expect(server().stats().chatRequests).toBe(1);
    expect(JSON.stringify(report)).not.toContain(wrong);
    repo.db.close();
  });
});
