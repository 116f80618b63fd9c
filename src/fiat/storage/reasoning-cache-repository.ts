import { isFinished } from '../reasoning/beta-output.ts';
import type { ReasoningCache, ReasoningCacheEntry } from '../reasoning/cache.ts';
import { parseReasoningCacheExport, toReasoningCacheExport, type ReasoningCacheExport } from '../reasoning/cache-export.ts';
import { forEachSlice, yieldToEventLoop } from '../slices.ts';
import { ReasoningDb } from './reasoning-db.ts';

/** Narrows inspection, clearing and export to one provider's model. */
export interface CacheFilter {
  endpoint: string;
  model: string;
}

export interface CacheListOptions {
  filter?: CacheFilter;
  offset?: number;
  limit?: number;
}

export interface CacheStats {
  count: number;
  /** UTF-8 size of the entries as JSON: what an export of them adds, about what they take on disk. */
  bytes: number;
  byModel: { endpoint: string; model: string; count: number }[];
}

export type ImportResult = { ok: true; added: number; kept: number } | { ok: false; message: string };

const encoder = new TextEncoder();

/** Keys read by one bulkGet. */
const GET_SLICE = 2000;
/** Stored keys listed at once when getMany scans them. */
const KEY_PAGE = 20_000;

/** The reasoning cache on IndexedDB (Dexie): what the batch runner and preview use in the app. */
export class ReasoningCacheRepository implements ReasoningCache {
  /** `keyPage`: stored keys listed at once when getMany scans them (tests make it small). */
  constructor(
    readonly db: ReasoningDb = new ReasoningDb(),
    private readonly keyPage = KEY_PAGE,
  ) {}

  async get(key: string): Promise<ReasoningCacheEntry | undefined> {
    return this.db.entries.get(key);
  }

  /**
   * One IndexedDB get per key costs the page's thread ~0.1 ms each (100,000 keys: seconds). So for many
   * keys and a cache not much larger, the stored keys are listed first (pages of KEY_PAGE, cheap) and
   * only the keys found are read; either way in slices with yields between them: one bulkGet of
   * 100,000 keys was one 3.9 s task, which froze the page.
   */
  async getMany(keys: readonly string[]): Promise<Map<string, ReasoningCacheEntry>> {
    const map = new Map<string, ReasoningCacheEntry>();
    const present = keys.length > GET_SLICE && (await this.db.entries.count()) <= keys.length * 4 ? await this.#storedAmong(keys) : keys;
    await forEachSlice(present, GET_SLICE, async (slice) => {
      for (const entry of await this.db.entries.bulkGet([...slice])) if (entry) map.set(entry.key, entry);
    });
    return map;
  }

  /** The keys of `keys` that are stored, from a scan of the stored keys in pages. */
  async #storedAmong(keys: readonly string[]): Promise<string[]> {
    const wanted = new Set(keys);
    const found: string[] = [];
    for (let after: string | null = null; ; await yieldToEventLoop()) {
      const range = after === null ? this.db.entries.toCollection() : this.db.entries.where(':id').above(after);
      const page: string[] = await range.limit(this.keyPage).primaryKeys();
      for (const key of page) if (wanted.has(key)) found.push(key);
      if (page.length < this.keyPage) return found;
      after = page[page.length - 1] ?? null;
    }
  }

  async put(entry: ReasoningCacheEntry): Promise<void> {
    await this.db.entries.put(entry);
  }

  async count(filter?: CacheFilter): Promise<number> {
    return this.#select(filter).count();
  }

  /** Newest first. */
  async list(options: CacheListOptions = {}): Promise<ReasoningCacheEntry[]> {
    const offset = options.offset ?? 0;
    if (!options.filter) {
      // Paged in IndexedDB: browsing a page of a large cache reads that page, not the whole cache.
      const page = this.db.entries.orderBy('createdAt').reverse().offset(offset);
      return (options.limit === undefined ? page : page.limit(options.limit)).toArray();
    }
    const newestFirst = (await this.#select(options.filter).toArray()).sort((a, b) => b.createdAt - a.createdAt);
    return newestFirst.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
  }

  async stats(): Promise<CacheStats> {
    let count = 0;
    let bytes = 0;
    const byModel = new Map<string, { endpoint: string; model: string; count: number }>();
    await this.db.entries.each((entry) => {
      count += 1;
      bytes += encoder.encode(JSON.stringify(entry)).length;
      const id = `${entry.endpoint}\u0000${entry.model}`;
      const group = byModel.get(id) ?? { endpoint: entry.endpoint, model: entry.model, count: 0 };
      group.count += 1;
      byModel.set(id, group);
    });
    return { count, bytes, byModel: [...byModel.values()].sort((a, b) => b.count - a.count) };
  }

  async delete(keys: readonly string[]): Promise<void> {
    await this.db.entries.bulkDelete([...keys]);
  }

  /** Removes every entry (or one model's); returns how many went. */
  async clear(filter?: CacheFilter): Promise<number> {
    if (!filter) {
      const n = await this.db.entries.count();
      await this.db.entries.clear();
      return n;
    }
    return this.#select(filter).delete();
  }

  /** The cache as plain JSON for a project export (no key: entries have no field for one). */
  async exportEntries(filter?: CacheFilter): Promise<ReasoningCacheExport> {
    return toReasoningCacheExport(await this.#select(filter).toArray());
  }

  /**
   * Adds the entries of an exported cache. All or nothing: an invalid file changes nothing and the
   * message says where it is wrong. Entries already here are kept as they are (same key, same
   * inputs), so an import never loses what the user had; only a truncated or empty generation here
   * gives way to a finished one from the file.
   */
  async importEntries(data: unknown): Promise<ImportResult> {
    const parsed = parseReasoningCacheExport(data);
    if (!parsed.ok) return parsed;
    return this.db.transaction('rw', this.db.entries, async () => {
      const existing = await this.db.entries.bulkGet(parsed.entries.map((e) => e.key));
      const fresh = parsed.entries.filter((entry, i) => {
        const here = existing[i];
        return here === undefined || (!isFinished(here) && isFinished(entry));
      });
      const unique = [...new Map(fresh.map((e) => [e.key, e])).values()];
      await this.db.entries.bulkPut(unique);
      return { ok: true as const, added: unique.length, kept: parsed.entries.length - unique.length };
    });
  }

  #select(filter?: CacheFilter) {
    return filter ? this.db.entries.where('[endpoint+model]').equals([filter.endpoint, filter.model]) : this.db.entries.toCollection();
  }
}
