import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReasoningCacheEntry } from '../../../src/fiat/reasoning/cache.ts';
import { parseReasoningCacheExport, toReasoningCacheExport } from '../../../src/fiat/reasoning/cache-export.ts';
import { ReasoningDb } from '../../../src/fiat/storage/reasoning-db.ts';
import { ReasoningCacheRepository } from '../../../src/fiat/storage/reasoning-cache-repository.ts';
import { browserSecretStore } from '../../../src/fiat/storage/reasoning-secrets.ts';
import { memoryStorage } from '../../support/memory-storage.ts';

const hex = (n: number) => n.toString(16).padStart(64, '0');

function entry(n: number, overrides: Partial<ReasoningCacheEntry> = {}): ReasoningCacheEntry {
  return {
    key: hex(n),
    endpoint: 'http://127.0.0.1:11434/v1',
    model: 'llama3.1:8b',
    params: { temperature: 0, maxTokens: 256, stop: [] },
    promptHash: hex(1000 + n),
    reasoning: `Reasoning ${n}. So the answer is yes.`,
    finishReason: 'stop',
    usage: { promptTokens: 10, completionTokens: 8, estimated: false },
    latencyMs: 120,
    createdAt: 1_700_000_000_000 + n,
    ...overrides,
  };
}

const open: ReasoningDb[] = [];
function freshRepository(keyPage?: number): ReasoningCacheRepository {
  // A fresh in-memory IndexedDB per test: no state leaks between tests.
  const db = new ReasoningDb('test-reasoning', { indexedDB: new IDBFactory(), IDBKeyRange });
  open.push(db);
  return new ReasoningCacheRepository(db, keyPage);
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('ReasoningCacheRepository', () => {
  it('puts and gets entries, many at once', async () => {
    const repo = freshRepository();
    await repo.put(entry(1));
    await repo.put(entry(2));
    expect(await repo.get(hex(1))).toEqual(entry(1));
    const many = await repo.getMany([hex(1), hex(3), hex(2)]);
    expect([...many.keys()].sort()).toEqual([hex(1), hex(2)]);
  });

  it('gets many keys over several reads (slices of 2,000) and finds every stored one', async () => {
    const repo = freshRepository();
    await repo.db.entries.bulkPut(Array.from({ length: 2500 }, (_, n) => entry(2 * n)));
    const many = await repo.getMany(Array.from({ length: 5000 }, (_, n) => hex(n)));
    expect(many.size).toBe(2500);
    expect(many.get(hex(4998))).toEqual(entry(4998));
    expect(many.has(hex(4999))).toBe(false);
  });

  it('finds the same entries when it scans the stored keys in pages (many keys, a cache not much larger)', async () => {
    const repo = freshRepository(700);
    await repo.db.entries.bulkPut(Array.from({ length: 2500 }, (_, n) => entry(n)));
    const wanted = Array.from({ length: 3000 }, (_, n) => hex(n + 100));
    const many = await repo.getMany(wanted);
    expect(many.size).toBe(2400);
    expect(many.get(hex(2499))).toEqual(entry(2499));
    expect(many.has(hex(99))).toBe(false);
  });

  it('persists across reopening the database (a reload)', async () => {
    const factory = new IDBFactory();
    const first = new ReasoningDb('reload', { indexedDB: factory, IDBKeyRange });
    await new ReasoningCacheRepository(first).put(entry(7));
    first.close();
    const second = new ReasoningDb('reload', { indexedDB: factory, IDBKeyRange });
    open.push(second);
    expect(await new ReasoningCacheRepository(second).get(hex(7))).toEqual(entry(7));
  });

  it('lists newest first with paging, counts and sizes, per model too', async () => {
    const repo = freshRepository();
    for (const n of [1, 2, 3]) await repo.put(entry(n));
    await repo.put(entry(4, { model: 'other' }));
    expect((await repo.list({ limit: 2 })).map((e) => e.key)).toEqual([hex(4), hex(3)]);
    expect((await repo.list({ offset: 2, limit: 5 })).map((e) => e.key)).toEqual([hex(2), hex(1)]);
    expect((await repo.list({ offset: 3 })).map((e) => e.key)).toEqual([hex(1)]);
    expect((await repo.list({ offset: 1, limit: 2, filter: { endpoint: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' } })).map((e) => e.key)).toEqual([hex(2), hex(1)]);
    expect(await repo.count()).toBe(4);
    expect(await repo.count({ endpoint: 'http://127.0.0.1:11434/v1', model: 'other' })).toBe(1);
    const stats = await repo.stats();
    expect(stats.count).toBe(4);
    expect(stats.bytes).toBe([1, 2, 3].reduce((s, n) => s + new TextEncoder().encode(JSON.stringify(entry(n))).length, 0) + new TextEncoder().encode(JSON.stringify(entry(4, { model: 'other' }))).length);
    expect(stats.byModel).toEqual([
      { endpoint: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', count: 3 },
      { endpoint: 'http://127.0.0.1:11434/v1', model: 'other', count: 1 },
    ]);
  });

  it('clears everything, or one model, or some keys', async () => {
    const repo = freshRepository();
    for (const n of [1, 2, 3]) await repo.put(entry(n));
    await repo.put(entry(4, { model: 'other' }));
    expect(await repo.clear({ endpoint: 'http://127.0.0.1:11434/v1', model: 'other' })).toBe(1);
    await repo.delete([hex(1)]);
    expect(await repo.count()).toBe(2);
    expect(await repo.clear()).toBe(2);
    expect(await repo.count()).toBe(0);
  });

  it('exports plain JSON and imports it into another database', async () => {
    const source = freshRepository();
    for (const n of [1, 2]) await source.put(entry(n));
    const exported = JSON.parse(JSON.stringify(await source.exportEntries())) as unknown;
    const target = freshRepository();
    await target.put(entry(2, { reasoning: 'mine, kept' }));
    expect(await target.importEntries(exported)).toEqual({ ok: true, added: 1, kept: 1 });
    expect((await target.get(hex(1)))?.reasoning).toBe(entry(1).reasoning);
    expect((await target.get(hex(2)))?.reasoning).toBe('mine, kept');
  });

  it('rejects an invalid import whole, naming the entry and field, and changes nothing', async () => {
    const repo = freshRepository();
    const bad = toReasoningCacheExport([entry(1), entry(2)]) as unknown as { entries: Record<string, unknown>[] };
    (bad.entries[1]!.usage as Record<string, unknown>).promptTokens = 'ten';
    const result = await repo.importEntries(bad);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^reasoning cache entries\[1\]\.usage\.promptTokens: /) as unknown });
    expect(await repo.count()).toBe(0);
    expect(await repo.importEntries({ format: 'something-else', version: 1, entries: [] })).toMatchObject({ ok: false, message: expect.stringMatching(/^reasoning cache format: /) as unknown });
  });
});

describe('cache export carries no key', () => {
  it('drops fields an entry object should not have, on export and on import', () => {
    const key = 'sk-live-should-never-leave-1234567890';
    const polluted = { ...entry(1), apiKey: key, headers: { Authorization: `Bearer ${key}` } } as ReasoningCacheEntry;
    expect(JSON.stringify(toReasoningCacheExport([polluted]))).not.toContain(key);
    const imported = parseReasoningCacheExport({ format: 'fiat-reasoning-cache', version: 1, entries: [polluted] });
    expect(imported.ok).toBe(true);
    expect(JSON.stringify(imported)).not.toContain(key);
  });
});

describe('browserSecretStore', () => {
  it('keeps one trimmed key per profile, and an empty key removes it', () => {
    const storage = memoryStorage();
    const secrets = browserSecretStore(storage);
    secrets.set('openai', '  sk-abc  ');
    expect(secrets.get('openai')).toBe('sk-abc');
    expect(secrets.has('gemini')).toBe(false);
    secrets.set('openai', ' ');
    expect(secrets.has('openai')).toBe(false);
    secrets.set('gemini', 'AIza-x');
    secrets.delete('gemini');
    expect(storage.map.size).toBe(0);
  });
});
