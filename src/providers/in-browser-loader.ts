import type { Engine, LoadProgress, ModelInfo } from '../engine/engine.ts';
import { EngineError } from '../engine/errors.ts';
import type { InBrowserModel } from './in-browser-model.ts';

/** The part of the Engine the in-browser provider uses. */
export type GenerationEngine = Pick<Engine, 'load' | 'generate'>;

/** What the loader is doing, for the UI (the preview's status line shows a load's progress). */
export type LoaderState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly model: string; readonly progress: LoadProgress | null }
  | { readonly status: 'ready'; readonly model: string; readonly info: ModelInfo }
  | { readonly status: 'failed'; readonly model: string; readonly message: string };

interface Failure {
  readonly model: string;
  readonly error: unknown;
  /** Uses queued before this sequence number were waiting on the load that failed: they fail with it. */
  readonly beforeSeq: number;
}

/**
 * One engine and the model the in-browser provider has loaded into it. The engine holds one model at a time and the
 * studio builds a provider per request (preview, batch, connection test), so what is loaded is tracked here, per
 * engine: the first use of a model loads it, later uses find it loaded.
 *
 * Contract:
 * - Uses run one at a time, in order (the engine runs one generation at a time anyway), so a use never finds another
 *   model loaded under it, even when two providers of different models are used at once.
 * - A failed load fails the uses that were waiting for it too (a batch does not load a missing repo once per example);
 *   a later use tries again. A cancelled load fails only the use it belonged to. A failed load leaves the model loaded
 *   before it (the Engine's contract), and the loader still knows it.
 * - `forget()` makes the next use load again (after the device was lost).
 * - The engine is created on first use, so no Web Worker starts until the in-browser provider first runs.
 * - Nothing else loads models into this engine: the studio gives the reasoning model an engine of its own.
 */
export class InBrowserModelLoader {
  readonly #createEngine: () => GenerationEngine;
  #engine: GenerationEngine | null = null;
  #loaded: { readonly name: string; readonly info: ModelInfo } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #seq = 0;
  #failure: Failure | null = null;
  #state: LoaderState = { status: 'idle' };
  readonly #listeners = new Set<() => void>();

  constructor(createEngine: () => GenerationEngine) {
    this.#createEngine = createEngine;
  }

  /** Bound, like `subscribe`, so both pass as they are to React's useSyncExternalStore. */
  readonly state = (): LoaderState => this.#state;

  /** Calls `listener` after every change of `state()`; returns the unsubscribe. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /**
   * Runs `work` with `model` loaded, after the uses queued before it. An aborted `signal` cancels the load it started
   * (an EngineError 'cancelled'), or skips `work` when it aborted while waiting.
   */
  use<T>(model: InBrowserModel, signal: AbortSignal | undefined, work: (engine: GenerationEngine, info: ModelInfo) => Promise<T>): Promise<T> {
    const seq = this.#seq++;
    const run = this.#queue.then(async () => {
      if (signal?.aborted) throw new EngineError('cancelled', 'cancelled');
      const info = await this.#ensure(model, seq, signal);
      return work(this.#engineNow(), info);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The next use loads its model again (the loaded one is gone with a lost device). */
  forget(): void {
    this.#loaded = null;
    this.#set({ status: 'idle' });
  }

  #engineNow(): GenerationEngine {
    this.#engine ??= this.#createEngine();
    return this.#engine;
  }

  async #ensure(model: InBrowserModel, seq: number, signal: AbortSignal | undefined): Promise<ModelInfo> {
    const failure = this.#failure;
    if (failure && failure.model === model.name && seq < failure.beforeSeq) throw failure.error;
    const loaded = this.#loaded;
    if (loaded?.name === model.name) {
      if (this.#state.status !== 'ready' || this.#state.model !== loaded.name) this.#set({ status: 'ready', model: loaded.name, info: loaded.info });
      return loaded.info;
    }
    this.#set({ status: 'loading', model: model.name, progress: null });
    try {
      const info = await this.#engineNow().load(model.source, {
        ...(signal ? { signal } : {}),
        onProgress: (progress) => this.#set({ status: 'loading', model: model.name, progress }),
      });
      this.#loaded = { name: model.name, info };
      this.#failure = null;
      this.#set({ status: 'ready', model: model.name, info });
      return info;
    } catch (error) {
      const cancelled = error instanceof EngineError && error.kind === 'cancelled';
      if (!cancelled) this.#failure = { model: model.name, error, beforeSeq: this.#seq };
      const before = this.#loaded;
      this.#set(
        !cancelled
          ? { status: 'failed', model: model.name, message: error instanceof Error ? error.message : String(error) }
          : before
            ? { status: 'ready', model: before.name, info: before.info }
            : { status: 'idle' },
      );
      throw error;
    }
  }

  #set(state: LoaderState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }
}
