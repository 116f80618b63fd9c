import { create } from 'zustand';
import type { TrainingMethod, WithoutReasoning } from '../../../fiat/training-set/build.ts';

/**
 * The Tuning tab's training-set choices for this session (not saved with the project yet: they join the project
 * when training runs from the studio). Only-agreeing is not here: it is the project's option (Reasoning tab); the
 * sequence length is one of the run's shapes (the studio store's trainingShapes, which the model panel's memory check reads).
 */
export interface TuningState {
  method: TrainingMethod;
  withoutReasoning: WithoutReasoning;
  /** Apply the small model's chat template (when it has one). */
  chatTemplate: boolean;
  set: (patch: Partial<Pick<TuningState, 'method' | 'withoutReasoning' | 'chatTemplate'>>) => void;
}

/** The sequence lengths offered: powers of two, as the engine's shapes are built for one. */
export const SEQUENCE_LENGTHS = [128, 256, 512, 1024, 2048] as const;

export const useTuningStore = create<TuningState>()((set) => ({
  method: 'fiat',
  withoutReasoning: 'leave-out',
  chatTemplate: true,
  set: (patch) => set(patch),
}));
