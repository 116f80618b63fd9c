import type { LoadProgress } from '../../engine/engine.ts';

/** One file of a load as the panel shows it: bytes read so far, and whether it came from the cache (no request). */
export interface FileProgress {
  readonly file: string;
  readonly phase: LoadProgress['phase'];
  readonly bytes: number;
  readonly fromCache: boolean;
  /** The load's byte count when this file began (the engine's loadedBytes count every file of the load). */
  readonly startBytes: number;
}

/** A load's progress: bytes of the total (null while unknown), and each file in the order read. */
export interface LoadView {
  readonly loadedBytes: number;
  readonly totalBytes: number | null;
  readonly files: readonly FileProgress[];
}

export const EMPTY_LOAD: LoadView = { loadedBytes: 0, totalBytes: null, files: [] };

/**
 * The view after one progress event. The engine reads files one after another and its loadedBytes grows over the
 * whole load, so a file's bytes are loadedBytes less what the load had read when the file began.
 */
export function reduceLoad(view: LoadView, p: LoadProgress): LoadView {
  const last = view.files.at(-1);
  const startBytes = last && last.file === p.file ? last.startBytes : view.loadedBytes;
  const entry: FileProgress = { file: p.file, phase: p.phase, bytes: p.loadedBytes - startBytes, fromCache: p.fromCache, startBytes };
  const files = last && last.file === p.file ? [...view.files.slice(0, -1), entry] : [...view.files, entry];
  return { loadedBytes: p.loadedBytes, totalBytes: p.totalBytes ?? view.totalBytes, files };
}

/** Fraction done in [0, 1], or null while the total is unknown (an indeterminate bar). */
export function loadFraction(view: LoadView): number | null {
  if (view.totalBytes === null || view.totalBytes === 0) return null;
  return Math.min(1, view.loadedBytes / view.totalBytes);
}
