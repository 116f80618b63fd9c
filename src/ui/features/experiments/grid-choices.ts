import type { ModelRef } from '../../../fiat/experiments/spec.ts';

/**
 * What the user picks in the queue builder (queue/QueueBuilder.tsx): the grid's axes other than the model, which is
 * the small model loaded on the Tuning tab. The queue session (queue-session.ts) turns it into the experiment's
 * grid (fiat/experiments/spec.ts ExperimentGrid): the loaded model as its model, the data hash of the task's data and
 * reasoning, and the Tuning tab's run settings as every cell's settings.
 */
export interface GridChoices {
  /** The experiment's name as the user typed it (may be empty: the session names it by date). */
  readonly name: string;
  /** Method ids of the experiments' catalogue (fiat/experiments/methods.ts), in the catalogue's order. */
  readonly methods: readonly string[];
  /** I_τ versions: the current text and any saved versions the user ticked, each with its label. */
  readonly tauVersions: readonly { readonly label: string; readonly text: string }[];
  /** Training-set sizes (examples drawn from the train split), ascending, each at least 1. */
  readonly sizes: readonly number[];
  readonly seeds: readonly number[];
  /** The loaded model's checkpoint before instruction tuning (the ablation without an instruction-tuned base). */
  readonly baseCheckpoint: ModelRef | null;
}
