import { WorkerEngine } from './client.ts';

/**
 * The studio's engine: the in-thread engine in a module Web Worker (engine.worker.ts), so that loading weights,
 * building artifacts and training never block the page. The client owns the worker: dispose terminates it and the
 * next call starts a fresh one.
 */
export function createWorkerEngine(): WorkerEngine {
  return new WorkerEngine(() => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'fiat-engine' }));
}
