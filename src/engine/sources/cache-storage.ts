import type { CachedModelFile } from '../engine.ts';
import { matchesFilter, type CacheFilter, type ModelFileCache, type ModelFileKey } from './cache.ts';

/** The Cache Storage cache the studio's model files live in (a page and its workers share it). */
export const MODEL_CACHE_NAME = 'fiat-studio-models';

/**
 * Where the key lives in an entry's URL. Cache Storage keys are http(s) URLs; this one is never fetched (the
 * .invalid top-level domain cannot resolve) and holds the key as query parameters, so `list` reads keys without
 * opening entries for them.
 */
const KEY_URL = 'https://model-files.fiat-studio.invalid/file';
/** The entry's size, so that `list` reports sizes without reading bodies and `get` can check the body. */
const BYTES_HEADER = 'X-Fiat-Studio-Bytes';

/**
 * A `ModelFileCache` on Cache Storage (`caches.open(MODEL_CACHE_NAME)`). A put that the browser refuses (quota)
 * rejects; the sources treat caching as best effort and still return the file.
 */
export class CacheStorageModelFileCache implements ModelFileCache {
  private cache: Promise<Cache> | null = null;

  constructor(private readonly storage: CacheStorage) {}

  async get(key: ModelFileKey): Promise<Uint8Array | null> {
    const response = await (await this.open()).match(keyUrl(key));
    if (!response) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    // An entry whose body is not the size it was stored with is not served (storage damaged or evicted in part).
    return bytes.byteLength === Number(response.headers.get(BYTES_HEADER)) ? bytes : null;
  }

  async put(key: ModelFileKey, bytes: Uint8Array): Promise<void> {
    const headers = { 'Content-Type': 'application/octet-stream', [BYTES_HEADER]: String(bytes.byteLength) };
    // A copy in a fresh ArrayBuffer: the caller's view may be a window on a larger or shared buffer.
    await (await this.open()).put(keyUrl(key), new Response(bytes.slice().buffer, { headers }));
  }

  async list(): Promise<CachedModelFile[]> {
    const cache = await this.open();
    const entries: CachedModelFile[] = [];
    for (const request of await cache.keys()) {
      const key = parseKeyUrl(request.url);
      const response = key && (await cache.match(request));
      if (key && response) entries.push({ ...key, bytes: Number(response.headers.get(BYTES_HEADER) ?? 0) });
    }
    return entries;
  }

  async delete(filter: CacheFilter): Promise<number> {
    const cache = await this.open();
    let deleted = 0;
    for (const request of await cache.keys()) {
      const key = parseKeyUrl(request.url);
      if (key && matchesFilter(key, filter) && (await cache.delete(request))) deleted += 1;
    }
    return deleted;
  }

  private open(): Promise<Cache> {
    this.cache ??= this.storage.open(MODEL_CACHE_NAME);
    return this.cache;
  }
}

/** Cache Storage where this context has it (a page or worker in a secure context), else no cache. */
export function defaultModelFileCache(): ModelFileCache | null {
  return typeof caches === 'undefined' ? null : new CacheStorageModelFileCache(caches);
}

function keyUrl(key: ModelFileKey): string {
  const params = new URLSearchParams({ endpoint: key.endpoint, repo: key.repo, revision: key.revision, file: key.file });
  return `${KEY_URL}?${params.toString()}`;
}

function parseKeyUrl(url: string): ModelFileKey | null {
  if (!url.startsWith(`${KEY_URL}?`)) return null;
  const params = new URL(url).searchParams;
  const [endpoint, repo, revision, file] = ['endpoint', 'repo', 'revision', 'file'].map((name) => params.get(name));
  if (endpoint == null || repo == null || revision == null || file == null) return null;
  return { endpoint, repo, revision, file };
}
