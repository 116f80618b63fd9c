import { Dexie, type Table } from 'dexie';

/**
 * The experiments' queues and results, in IndexedDB (a database of its own, versioned apart from the tuning runs'):
 * - experiments: one row per experiment with its queue items (fiat/experiments/queue.ts Experiment), by task;
 * - results:     one row per run key (ExperimentResult): the evaluations of the run that finished it. Keyed by the
 *                spec's key, so any experiment with the same run finds it and does not compute it again.
 */
export class ExperimentDatabase extends Dexie {
  experiments!: Table<unknown, string>;
  results!: Table<unknown, string>;

  constructor(name = 'fiat-studio-experiments') {
    super(name);
    this.version(1).stores({ experiments: 'id, taskId, createdAt', results: 'key, taskId' });
  }
}
