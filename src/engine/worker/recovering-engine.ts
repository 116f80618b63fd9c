import type { Engine } from '../engine.ts';
import { EngineError } from '../errors.ts';

/** An engine that can be ended at once; a WorkerEngine is one (`terminate` ends its worker). */
export interface EndableEngine extends Engine {
  /** Ends the engine now, without asking it to release anything; its waiting calls reject. */
  terminate(): void;
}

export interface RecoveringEngineOptions<E extends EndableEngine> {
  /** A fresh engine: for a WorkerEngine a new worker, whose onnxruntime-web will make a new GPU device. */
  readonly create: () => E;
  /**
   * Puts back into a fresh engine what the caller wants kept from the lost one (the studio: the model it last loaded).
   * Calls made meanwhile wait for it, so it must call `fresh` itself, never this RecoveringEngine. Its failure is its
   * own to report: the recovery is over either way, and later calls go to the fresh engine.
   */
  readonly restore: (fresh: E) => Promise<void>;
}

type Method = keyof Engine;

/**
 * One Engine over a succession of engines, for a GPU device that can be lost. onnxruntime-web binds one GPUDevice to a
 * JS context for the context's life (its WebGPU backend requests the device once, when it initialises, and never
 * again), so after a loss only a new worker gets a device: this replaces the worker's engine and restores its model.
 *
 * Contract:
 * - Every call goes to the current engine, created on the first call; callers keep this object across replacements.
 * - A call that the current engine rejects with an EngineError of kind 'device-lost' starts a recovery before the
 *   caller sees the rejection: the engine is ended (`terminate`; its waiting calls reject 'cancelled'), a fresh one is
 *   created and `restore`d. A 'device-lost' from an engine already replaced starts none (one loss, one recovery).
 * - Calls made while a recovery runs wait for it and go to the fresh engine.
 * - `recover()` starts one on purpose (or joins the one running); `recovered()` resolves when none is running.
 */
export class RecoveringEngine<E extends EndableEngine> implements Engine {
  #engine: E | null = null;
  #recovering: Promise<void> | null = null;

  constructor(private readonly options: RecoveringEngineOptions<E>) {}

  /** Ends the current engine and puts a restored fresh one in its place; joins a recovery already running. */
  recover(): Promise<void> {
    this.#recovering ??= this.#replace().finally(() => {
      this.#recovering = null;
    });
    return this.#recovering;
  }

  /** Resolves once no recovery is running (at once when none is). */
  async recovered(): Promise<void> {
    while (this.#recovering) await this.#recovering;
  }

  /** The engine that calls go to now, after any recovery (created if none yet): for what only E has. */
  async current(): Promise<E> {
    await this.recovered();
    this.#engine ??= this.options.create();
    return this.#engine;
  }

  async #replace(): Promise<void> {
    const lost = this.#engine;
    const fresh = this.options.create();
    this.#engine = fresh;
    lost?.terminate();
    await this.options.restore(fresh).catch(() => undefined);
  }

  async #forward<M extends Method>(method: M, args: Parameters<Engine[M]>): Promise<Awaited<ReturnType<Engine[M]>>> {
    const engine = await this.current();
    try {
      // A method of E called with its own parameters; TypeScript cannot relate the two through the generic M.
      const call = engine[method] as (...a: Parameters<Engine[M]>) => ReturnType<Engine[M]>;
      return await call.apply(engine, args);
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'device-lost' && engine === this.#engine) void this.recover();
      throw error;
    }
  }

  inspect(...args: Parameters<Engine['inspect']>) {
    return this.#forward('inspect', args);
  }
  load(...args: Parameters<Engine['load']>) {
    return this.#forward('load', args);
  }
  describe() {
    return this.#forward('describe', []);
  }
  tokenize(...args: Parameters<Engine['tokenize']>) {
    return this.#forward('tokenize', args);
  }
  decode(...args: Parameters<Engine['decode']>) {
    return this.#forward('decode', args);
  }
  applyChatTemplate(...args: Parameters<Engine['applyChatTemplate']>) {
    return this.#forward('applyChatTemplate', args);
  }
  estimateMemory(...args: Parameters<Engine['estimateMemory']>) {
    return this.#forward('estimateMemory', args);
  }
  prepareTraining(...args: Parameters<Engine['prepareTraining']>) {
    return this.#forward('prepareTraining', args);
  }
  train(...args: Parameters<Engine['train']>) {
    return this.#forward('train', args);
  }
  evaluate(...args: Parameters<Engine['evaluate']>) {
    return this.#forward('evaluate', args);
  }
  readAdapter() {
    return this.#forward('readAdapter', []);
  }
  readCheckpoint() {
    return this.#forward('readCheckpoint', []);
  }
  checkpointAdapter(...args: Parameters<Engine['checkpointAdapter']>) {
    return this.#forward('checkpointAdapter', args);
  }
  checkpointModel(...args: Parameters<Engine['checkpointModel']>) {
    return this.#forward('checkpointModel', args);
  }
  loadAdapter(...args: Parameters<Engine['loadAdapter']>) {
    return this.#forward('loadAdapter', args);
  }
  score(...args: Parameters<Engine['score']>) {
    return this.#forward('score', args);
  }
  scoreLabels(...args: Parameters<Engine['scoreLabels']>) {
    return this.#forward('scoreLabels', args);
  }
  generate(...args: Parameters<Engine['generate']>) {
    return this.#forward('generate', args);
  }
  listCache() {
    return this.#forward('listCache', []);
  }
  clearCache(...args: Parameters<Engine['clearCache']>) {
    return this.#forward('clearCache', args);
  }

  /** Releases the current engine (after any recovery); the next call creates a fresh one. */
  async dispose(): Promise<void> {
    await this.recovered();
    const engine = this.#engine;
    this.#engine = null;
    await engine?.dispose();
  }
}
