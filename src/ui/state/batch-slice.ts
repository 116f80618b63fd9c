import type { StateCreator } from 'zustand';
import type { BatchFailure, BatchProgress, BatchReport } from '../../fiat/reasoning/batch-runner.ts';
import type { StudioState } from './store.ts';

/**
 * The reasoning batch of this session (not saved: what a batch finished is in the reasoning cache,
 * and running it again resumes). Written by the batch controller, read by the reasoning panel.
 */
export interface BatchRun {
  phase: 'running' | 'cancelling' | 'finished';
  /** Task and scope the run was started for (the panel says when they are no longer shown). */
  taskId: string;
  scopeLabel: string;
  progress: BatchProgress | null;
  /** The last retry the runner waited for, e.g. "429 … retrying in 1.0 s". */
  lastRetry: { exampleIds: string[]; attempt: number; delayMs: number; error: BatchFailure } | null;
  report: BatchReport | null;
  /** A failure of the run itself (not of one example), e.g. storage unavailable. */
  error: string | null;
}

export interface BatchSlice {
  batch: BatchRun | null;
  setBatch: (batch: BatchRun | null) => void;
  updateBatch: (patch: Partial<BatchRun>) => void;
}

export const createBatchSlice: StateCreator<StudioState, [], [], BatchSlice> = (set) => ({
  batch: null,
  setBatch: (batch) => set({ batch }),
  updateBatch: (patch) => set((s) => (s.batch ? { batch: { ...s.batch, ...patch } } : {})),
});
