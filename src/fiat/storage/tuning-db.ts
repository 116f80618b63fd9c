import { Dexie, type Table } from 'dexie';

/**
 * The studio's tuning runs and their checkpoints, in IndexedDB (a database of its own: checkpoints are large, and the
 * project database is exported whole). Tables:
 * - runs:        one row per run (tuning-repository.ts StoredRun), looked up by task;
 * - checkpoints: the latest checkpoints of each run (the adapter, AdamW moments and step as safetensors bytes).
 */
export interface StoredCheckpoint {
  readonly runId: string;
  readonly step: number;
  readonly state: Uint8Array;
  readonly savedAt: number;
}

export class TuningDatabase extends Dexie {
  runs!: Table<unknown, string>;
  checkpoints!: Table<StoredCheckpoint, [string, number]>;

  constructor(name = 'fiat-studio-tuning') {
    super(name);
    this.version(1).stores({ runs: 'id, taskId, createdAt', checkpoints: '[runId+step], runId' });
  }
}
