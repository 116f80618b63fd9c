import { create } from 'zustand';
import type { Engine, ModelInfo, ModelSource } from '../../engine/engine.ts';
import { EngineError, type EngineErrorDetail, type EngineErrorKind } from '../../engine/errors.ts';
import type { WorkerEngine } from '../../engine/worker/client.ts';
import { createWorkerEngine } from '../../engine/worker/create-worker-engine.ts';
import { RecoveringEngine } from '../../engine/worker/recovering-engine.ts';
import { EMPTY_LOAD, reduceLoad, type LoadView } from './load-progress.ts';
import { setSmallModelTokenizer, smallModelTokenizer } from './small-model.ts';

/** The last model loaded into the tuning engine: what a fresh engine loads again after the GPU device was lost. */
let lastLoad: { readonly source: ModelSource; readonly label: string } | null = null;

/**
 * The small model θ_τ: ONE engine in a Web Worker for the studio's tuning (the model panel loads into it; the
 * training set's token counts, the run, evaluation use its tokenize, applyChatTemplate, train...). It is not the
 * reasoning provider's engine (lib/reasoning-engine.ts): the two models live apart. Its worker is created on first
 * use, so a session that never opens the Tuning tab starts none.
 *
 * When the GPU device is lost (a call fails with kind 'device-lost') the worker is replaced by a new one, which gets
 * a new device (onnxruntime-web keeps one device per worker for the worker's life: RecoveringEngine), and the model
 * last loaded is loaded again into it (from the browser's model cache: no download), its tokenizer set again, the
 * model panel showing the load. Calls made meanwhile wait for it. The run's record and checkpoints live in IndexedDB
 * and are not touched: a run lost with the device resumes from its last checkpoint on the new one.
 */
const engine = new RecoveringEngine<WorkerEngine>({
  create: createWorkerEngine,
  restore: async (fresh) => {
    if (lastLoad) await loadInto(fresh, lastLoad.source, lastLoad.label, true);
  },
});

export function tuningEngine(): Engine {
  return engine;
}

/** Resolves once the tuning engine is not being replaced after a lost device (at once when it is not). */
export function tuningEngineRecovered(): Promise<void> {
  return engine.recovered();
}

/**
 * TEST ONLY (the e2e build's test API): makes the tuning engine's worker destroy its GPU device, now or right after
 * train step `atStep` is reported; any other build's worker refuses ('usage').
 */
export async function debugLoseTuningDevice(atStep: number | null): Promise<void> {
  await (await engine.current()).debugLoseDevice(atStep);
}

/** A failed load as the panel shows it: the engine's kind, message and detail (the HTTP status of a network error). */
export interface SmallModelError {
  readonly kind: EngineErrorKind;
  readonly message: string;
  readonly detail: EngineErrorDetail;
}

export type SmallModelStatus = 'empty' | 'loading' | 'loaded';

interface SmallModelState {
  /** The loaded model; a failed or cancelled load keeps the one loaded before it (the engine does too). */
  readonly info: ModelInfo | null;
  /**
   * The load in progress, if any: what is loading, how far it is, and whether it loads the model again into a new
   * worker after the GPU device was lost.
   */
  readonly loading: { readonly label: string; readonly view: LoadView; readonly afterDeviceLoss: boolean } | null;
  /** The last load's failure; cleared when the next load starts. A cancelled load is no failure. */
  readonly error: SmallModelError | null;
}

const useSmallModelStore = create<SmallModelState>()(() => ({ info: null, loading: null, error: null }));

/** The load in progress: a new load or a cancel aborts it. */
let current: AbortController | null = null;

/**
 * Loads a model into the tuning engine, replacing a load in progress. Resolves with the model, or null when the load
 * failed (the error is in the state), was cancelled, or was replaced by a newer one.
 */
export function loadSmallModel(source: ModelSource, label: string): Promise<ModelInfo | null> {
  return loadInto(engine, source, label, false);
}

/**
 * A load into `target`: the tuning engine, or the fresh engine that replaces a lost one (`afterDeviceLoss`; called
 * while the tuning engine waits for it, so it must not call the tuning engine itself).
 */
async function loadInto(target: Engine, source: ModelSource, label: string, afterDeviceLoss: boolean): Promise<ModelInfo | null> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const mine = () => current === controller;
  useSmallModelStore.setState({ loading: { label, view: EMPTY_LOAD, afterDeviceLoss }, error: null });
  try {
    const info = await target.load(source, {
      signal: controller.signal,
      onProgress: (p) => {
        if (!mine()) return;
        useSmallModelStore.setState((s) => (s.loading ? { loading: { ...s.loading, view: reduceLoad(s.loading.view, p) } } : {}));
      },
    });
    if (!mine()) return null;
    lastLoad = { source, label };
    // Its tokenizer becomes the studio's (preview counts, the training set's length budget) before the model shows as
    // loaded; read from `target`, its later calls go through the tuning engine, which outlives the worker.
    setSmallModelTokenizer(await smallModelTokenizer(target, engine));
    useSmallModelStore.setState({ info, loading: null });
    return info;
  } catch (cause) {
    if (!mine()) return null;
    const error = cause instanceof EngineError ? cause : new EngineError('internal', cause instanceof Error ? cause.message : String(cause));
    // A fresh engine after a lost device holds no model until this load: when it fails, none is loaded.
    if (afterDeviceLoss) setSmallModelTokenizer(null);
    useSmallModelStore.setState({
      loading: null,
      error: error.kind === 'cancelled' ? null : { kind: error.kind, message: error.message, detail: error.detail },
      ...(afterDeviceLoss ? { info: null } : {}),
    });
    return null;
  } finally {
    if (mine()) current = null;
  }
}

/** Stops the load in progress; the model loaded before it stays. */
export function cancelSmallModelLoad(): void {
  current?.abort();
}

/** The small model as React sees it: what is loaded, a load's progress and failure, and the engine to call. */
export function useSmallModel(): SmallModelState & { readonly status: SmallModelStatus; readonly engine: Engine } {
  const state = useSmallModelStore();
  const status: SmallModelStatus = state.loading ? 'loading' : state.info ? 'loaded' : 'empty';
  return { ...state, status, engine: tuningEngine() };
}

/** The state outside React (the test API). */
export const smallModelStore = useSmallModelStore;
