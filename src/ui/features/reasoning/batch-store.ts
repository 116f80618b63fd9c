import { create } from 'zustand';
import type { BatchFailure, BatchProgress, BatchReport } from '../../../fiat/reasoning/batch-runner.ts';

/**
 * The reasoning batch of this session (not saved: what a batch finished is in the reasoning cache,
 * and running it again resumes). Written by the batch controller, read by the reasoning panel. The
 * reasoning feature's own store, not a slice of the studio's: no other feature reads or writes it.
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

export interface BatchState {
  batch: BatchRun | null;
  setBatch: (batch: BatchRun | null) => void;
  updateBatch: (patch: Partial<BatchRun>) => void;
}

export const useBatchStore = create<BatchState>()((set) => ({
  batch: null,
  setBatch: (batch) => set({ batch }),
  updateBatch: (patch) => set((s) => (s.batch ? { batch: { ...s.batch, ...patch } } : {})),
}));
