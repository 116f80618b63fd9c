import { create } from 'zustand';
import type { Engine, ModelInfo, ModelSource } from '../../engine/engine.ts';
import { EngineError, type EngineErrorDetail, type EngineErrorKind } from '../../engine/errors.ts';
import { createWorkerEngine } from '../../engine/worker/create-worker-engine.ts';
import { EMPTY_LOAD, reduceLoad, type LoadView } from './load-progress.ts';
import { setSmallModelTokenizer, smallModelTokenizer } from './small-model.ts';

/**
 * The small model θ_τ: ONE engine in a Web Worker for the studio's tuning (the model panel loads into it; the
 * training set's token counts, the run, evaluation use its tokenize, applyChatTemplate, train...). It is not the
 * reasoning provider's engine (lib/reasoning-engine.ts): the two models live apart. Created on first use, so a
 * session that never opens the Tuning tab starts no worker.
 */
let engine: Engine | null = null;

export function tuningEngine(): Engine {
  engine ??= createWorkerEngine();
  return engine;
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
  /** The load in progress, if any: what is loading and how far it is. */
  readonly loading: { readonly label: string; readonly view: LoadView } | null;
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
export async function loadSmallModel(source: ModelSource, label: string): Promise<ModelInfo | null> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const mine = () => current === controller;
  useSmallModelStore.setState({ loading: { label, view: EMPTY_LOAD }, error: null });
  try {
    const info = await tuningEngine().load(source, {
      signal: controller.signal,
      onProgress: (p) => {
        if (!mine()) return;
        useSmallModelStore.setState((s) => (s.loading ? { loading: { ...s.loading, view: reduceLoad(s.loading.view, p) } } : {}));
      },
    });
    if (!mine()) return null;
    // Its tokenizer becomes the studio's (preview counts, the training set's length budget) before the model shows as loaded.
    setSmallModelTokenizer(await smallModelTokenizer(tuningEngine()));
    useSmallModelStore.setState({ info, loading: null });
    return info;
  } catch (cause) {
    if (!mine()) return null;
    const error = cause instanceof EngineError ? cause : new EngineError('internal', cause instanceof Error ? cause.message : String(cause));
    useSmallModelStore.setState({ loading: null, error: error.kind === 'cancelled' ? null : { kind: error.kind, message: error.message, detail: error.detail } });
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
