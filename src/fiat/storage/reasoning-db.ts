import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import type { ReasoningCacheEntry } from '../reasoning/cache.ts';

/**
 * The reasoning cache's own IndexedDB database, apart from the project database: it is shared by
 * every project (a reasoning depends only on endpoint, model, parameters and prompt), and it holds
 * no secret (keys live in reasoning-secrets.ts, in another storage area).
 */
export const REASONING_DB_NAME = 'fiat-studio-reasoning';

export class ReasoningDb extends Dexie {
  entries!: EntityTable<ReasoningCacheEntry, 'key'>;

  /** `options` lets tests pass fake-indexeddb's indexedDB and IDBKeyRange. */
  constructor(name: string = REASONING_DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({ entries: 'key, createdAt, promptHash, [endpoint+model]' });
  }
}
