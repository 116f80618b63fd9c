import { describe, expect, it } from 'vitest';
import { clearCachedFiles, listCachedFiles, MemoryModelFileCache, type ModelFileCache } from '../../../../src/engine/sources/cache.ts';
import { CacheStorageModelFileCache, MODEL_CACHE_NAME } from '../../../../src/engine/sources/cache-storage.ts';
import { openModelFiles } from '../../../../src/engine/sources/open.ts';
import type { ModelFiles } from '../../../../src/engine/sources/model-files.ts';
import { hubServerPerFile } from '../../../support/hub-server-hooks.ts';
import { shardedTinyLlamaFiles, tinyLlamaFiles } from '../../../support/hub-repos.ts';

const tiny = tinyLlamaFiles();
const sharded = shardedTinyLlamaFiles(2);
const withGenerationConfig = { ...tiny, 'generation_config.json': '{"do_sample": false}' };
const hub = hubServerPerFile({
  repos: { 'test/tiny-llama': { main: 'test/fixtures/tiny-llama', v1: 'test/fixtures/tiny-llama' }, 'test/sharded': { main: sharded }, 'test/generation': { main: withGenerationConfig } },
});

const open = (cache: ModelFileCache, repo = 'test/tiny-llama', revision = 'main') =>
  openModelFiles({ kind: 'hub', repo, revision, endpoint: hub().endpoint }, { cache, retryDelayMs: 1 });

/** What an engine's load does: list, then read every listed file; returns the bytes and whether each came from the cache. */
async function load(files: ModelFiles) {
  const listed = await files.list();
  const read = new Map<string, { bytes: Uint8Array | null; fromCache: boolean[] }>();
  for (const { name } of listed) {
    const fromCache: boolean[] = [];
    read.set(name, { bytes: await files.read(name, { onProgress: (_l, _t, cached) => fromCache.push(cached) }), fromCache });
  }
  return { listed, read };
}

/** Cache Storage as the browser has it, for the parts CacheStorageModelFileCache uses, over Node's Request/Response. */
class FakeCacheStorage {
  readonly caches = new Map<string, Map<string, Response>>();
  open(name: string): Promise<Cache> {
    const entries = this.caches.get(name) ?? new Map<string, Response>();
    this.caches.set(name, entries);
    const url = (key: RequestInfo | URL) => (typeof key === 'string' ? key : key instanceof URL ? key.href : key.url);
    const cache = {
      match: (key: RequestInfo | URL) => Promise.resolve(entries.get(url(key))?.clone()),
      put: async (key: RequestInfo | URL, response: Response) => {
        entries.set(url(key), new Response(await response.arrayBuffer(), { headers: response.headers }));
      },
      keys: () => Promise.resolve([...entries.keys()].map((u) => new Request(u))),
      delete: (key: RequestInfo | URL) => Promise.resolve(entries.delete(url(key))),
    };
    return Promise.resolve(cache as unknown as Cache);
  }
}

describe.each([
  ['in memory', () => new MemoryModelFileCache()],
  ['on Cache Storage', () => new CacheStorageModelFileCache(new FakeCacheStorage() as unknown as CacheStorage)],
])('Hub source with a cache %s', (_name, makeCache) => {
  it('loads a second time from the cache with zero requests, the same bytes', async () => {
    const cache = makeCache();
    const first = await load(open(cache));
    expect(first.listed.every((f) => !f.cached)).toBe(true);
    expect(hub().requests.length).toBeGreaterThan(0);

    hub().reset();
    const second = await load(open(cache));
    expect(hub().requests).toEqual([]);
    expect(second.listed).toEqual(first.listed.map((f) => ({ ...f, cached: true })));
    for (const [name, { bytes, fromCache }] of second.read) {
      expect(bytes).toEqual(first.read.get(name)?.bytes);
      expect(fromCache).toEqual([true]);
    }
    expect(second.read.get('model.safetensors')?.bytes).toEqual(tiny['model.safetensors']);
  });

  it('loads a sharded model a second time with zero requests', async () => {
    const cache = makeCache();
    await load(open(cache, 'test/sharded'));
    hub().reset();
    const second = await load(open(cache, 'test/sharded'));
    expect(hub().requests).toEqual([]);
    expect([...second.read.keys()]).toEqual(['config.json', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
  });

  it('lists a second time with zero requests when a listed file was never read, with its size, not cached', async () => {
    const cache = makeCache();
    const files = open(cache, 'test/generation');
    const listed = await files.list();
    for (const name of ['config.json', 'model.safetensors']) await files.read(name);
    hub().reset();
    const again = await open(cache, 'test/generation').list();
    expect(hub().requests).toEqual([]);
    expect(again).toEqual(listed.map((f) => ({ ...f, cached: f.name !== 'generation_config.json' })));
    expect(again.find((f) => f.name === 'generation_config.json')).toEqual({ name: 'generation_config.json', size: 20, cached: false });
  });

  it('lists and clears cached files by endpoint, repo and revision', async () => {
    const cache = makeCache();
    await load(open(cache, 'test/tiny-llama', 'main'));
    await load(open(cache, 'test/tiny-llama', 'v1'));
    await load(open(cache, 'test/sharded'));
    const endpoint = hub().endpoint;
    const cached = await listCachedFiles(cache);
    expect(cached.filter((f) => f.repo === 'test/tiny-llama')).toEqual(
      ['main', 'v1'].flatMap((revision) => [
        { endpoint, repo: 'test/tiny-llama', revision, file: 'config.json', bytes: tiny['config.json'].byteLength },
        { endpoint, repo: 'test/tiny-llama', revision, file: 'model.safetensors', bytes: tiny['model.safetensors'].byteLength },
      ]),
    );
    expect(cached.filter((f) => f.repo === 'test/sharded')).toHaveLength(4);

    expect(await clearCachedFiles(cache, { repo: 'test/tiny-llama', revision: 'v1' })).toBe(2);
    expect((await listCachedFiles(cache)).map((f) => `${f.repo}@${f.revision}`)).not.toContain('test/tiny-llama@v1');
    expect(await clearCachedFiles(cache, { endpoint: 'http://elsewhere.invalid' })).toBe(0);
    expect(await clearCachedFiles(cache)).toBe(6);
    expect(await listCachedFiles(cache)).toEqual([]);
    expect(await cache.list()).toEqual([]);

    // Cleared means downloaded again.
    hub().reset();
    await load(open(cache));
    expect(hub().count('model.safetensors', { method: 'GET' })).toBe(1);
  });
});

describe('Cache Storage cache', () => {
  it('keeps its entries in the fiat-studio-models cache, keyed without the token, and serves only whole entries', async () => {
    const storage = new FakeCacheStorage();
    const cache = new CacheStorageModelFileCache(storage as unknown as CacheStorage);
    const key = { endpoint: 'https://huggingface.co', repo: 'owner/name', revision: 'refs/pr/1', file: 'model.safetensors' };
    await cache.put(key, new Uint8Array([1, 2, 3]));
    expect([...storage.caches.keys()]).toEqual([MODEL_CACHE_NAME]);
    expect(await cache.get(key)).toEqual(new Uint8Array([1, 2, 3]));
    expect(await cache.list()).toEqual([{ ...key, bytes: 3 }]);
    expect(await cache.get({ ...key, revision: 'main' })).toBeNull();

    // An entry whose body is not the size it was stored with (damaged storage) is not served.
    const entries = storage.caches.get(MODEL_CACHE_NAME)!;
    const [url, response] = [...entries][0]!;
    entries.set(url, new Response(new Uint8Array([1, 2]), { headers: response.headers }));
    expect(await cache.get(key)).toBeNull();
  });
});
