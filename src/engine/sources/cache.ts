import type { CachedModelFile } from '../engine.ts';

/**
 * The browser's model file cache: Hub files by endpoint + repo + revision + file. A revision is cached by the
 * string as given: "main" cached today is served as "main" tomorrow, even if the branch has moved on the Hub
 * since (clear the cache, or give a commit hash, to get the new files). Why not resolve "main" to its commit:
 * that costs a request on every load, so a cached model would no longer load offline or with zero requests.
 *
 * Only whole, verified files are put. Implementations: Cache Storage (cache-storage.ts, a page and a worker)
 * and `MemoryModelFileCache` below (Node tests, the CLI).
 */
export interface ModelFileCache {
  get(key: ModelFileKey): Promise<Uint8Array | null>;
  put(key: ModelFileKey, bytes: Uint8Array): Promise<void>;
  /** Every entry, listings (LISTING_FILE) included, with its size: no file is read. */
  list(): Promise<CachedModelFile[]>;
  /** Deletes the entries that match (all for an empty filter); returns how many. */
  delete(filter: CacheFilter): Promise<number>;
}

export interface ModelFileKey {
  readonly endpoint: string;
  readonly repo: string;
  readonly revision: string;
  readonly file: string;
}

export interface CacheFilter {
  readonly endpoint?: string;
  readonly repo?: string;
  readonly revision?: string;
}

/**
 * The entry that holds a revision's file listing (the names and sizes of the files it has, the shards included), so
 * that listing a model loaded once sends no request, not even for the files it does not have or a load does not
 * read. No repo file has an empty name.
 */
export const LISTING_FILE = '';

export function matchesFilter(entry: ModelFileKey, filter: CacheFilter): boolean {
  return (
    (filter.endpoint === undefined || entry.endpoint === filter.endpoint) &&
    (filter.repo === undefined || entry.repo === filter.repo) &&
    (filter.revision === undefined || entry.revision === filter.revision)
  );
}

/** The cached model files (listings left out), by endpoint, repo, revision and file. */
export async function listCachedFiles(cache: ModelFileCache | null): Promise<CachedModelFile[]> {
  if (!cache) return [];
  const entries = (await cache.list()).filter((e) => e.file !== LISTING_FILE);
  const order = (e: CachedModelFile) => [e.endpoint, e.repo, e.revision, e.file].join('\u0000');
  return entries.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Deletes the cached files that match (their listings with them); returns how many files. */
export async function clearCachedFiles(cache: ModelFileCache | null, filter: CacheFilter = {}): Promise<number> {
  if (!cache) return 0;
  const files = (await listCachedFiles(cache)).filter((e) => matchesFilter(e, filter)).length;
  await cache.delete(filter);
  return files;
}

/** A cache in memory: Node tests and the CLI (its entries live as long as the process). */
export class MemoryModelFileCache implements ModelFileCache {
  private readonly entries = new Map<string, { key: ModelFileKey; bytes: Uint8Array }>();

  get(key: ModelFileKey): Promise<Uint8Array | null> {
    return Promise.resolve(this.entries.get(entryId(key))?.bytes.slice() ?? null);
  }

  put(key: ModelFileKey, bytes: Uint8Array): Promise<void> {
    const { endpoint, repo, revision, file } = key;
    this.entries.set(entryId(key), { key: { endpoint, repo, revision, file }, bytes: bytes.slice() });
    return Promise.resolve();
  }

  list(): Promise<CachedModelFile[]> {
    return Promise.resolve([...this.entries.values()].map(({ key, bytes }) => ({ ...key, bytes: bytes.byteLength })));
  }

  delete(filter: CacheFilter): Promise<number> {
    let deleted = 0;
    for (const [id, { key }] of this.entries) {
      if (!matchesFilter(key, filter)) continue;
      this.entries.delete(id);
      deleted += 1;
    }
    return Promise.resolve(deleted);
  }
}

function entryId(key: ModelFileKey): string {
  return JSON.stringify([key.endpoint, key.repo, key.revision, key.file]);
}
