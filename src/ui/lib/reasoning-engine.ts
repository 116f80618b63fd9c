import { useSyncExternalStore } from 'react';
import { createWorkerEngine } from '../../engine/worker/create-worker-engine.ts';
import { InBrowserModelLoader, type LoaderState } from '../../providers/in-browser-loader.ts';

/**
 * The in-browser reasoning provider's engine: one Web Worker for the studio, created when that provider first loads
 * its model (never for a project that does not use it), with the model it loaded. θ_β has an engine of its own: an
 * Engine holds one model at a time, and the small model θ_τ being tuned must not be swapped out for it.
 */
export const reasoningModelLoader = new InBrowserModelLoader(() => createWorkerEngine());

/** Absolute, because the worker resolves a relative URL against its own script's. */
export function demoModelBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}models/demo/`, window.location.href).href;
}

/** What the in-browser model is doing (loading with progress, ready, failed), re-rendering on every change. */
export function useReasoningModelState(): LoaderState {
  return useSyncExternalStore(reasoningModelLoader.subscribe, reasoningModelLoader.state);
}
