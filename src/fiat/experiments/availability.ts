import type { MemoryEstimate } from '../../engine/engine.ts';
import type { Method } from './methods.ts';

/**
 * Whether a method can run here, now, and if not why, in the user's words (issue 20: a method that cannot run is shown
 * disabled with the reason). The engine runs every recipe (LoRA, or all weights); what decides it:
 * - for the methods that train all weights: the engine's memory estimate of that setup (methods.ts methodSetup) on
 *   the loaded model and this device (`fullWeightMemory`), which must fit; no estimate means it cannot be offered,
 *   and the context says why there is none (no model loaded, still estimating, the estimate failed);
 * - for the run without an instruction-tuned base: the base checkpoint the user named.
 * ICL trains nothing, so nothing here stops it (its parsed answers are checked with the run's other inputs).
 */

export type Availability = { readonly available: true } | { readonly available: false; readonly reason: string };

/** Why there is no memory estimate for training all weights, in the user's words ("Load a small model…"). */
export interface NoEstimate {
  readonly missing: string;
}

export interface AvailabilityContext {
  /**
   * The engine's estimate for the run's setup training all weights (TrainingSetup.allWeights) on the loaded model and
   * this device, or why there is none; absent: not estimated.
   */
  readonly fullWeightMemory?: MemoryEstimate | NoEstimate;
  /** The base (not instruction-tuned) checkpoint the user named, e.g. "HuggingFaceTB/SmolLM2-135M"; null or '' for none. */
  readonly baseCheckpoint?: string | null;
}

export function methodAvailability(method: Method, context: AvailabilityContext): Availability {
  const training = method.training;
  if (training === null) return { available: true };
  if (training.tuning === 'full') {
    const memory = fullWeightMemoryCheck(context.fullWeightMemory ?? null);
    if (!memory.available) return memory;
  }
  if (training.base === 'base-checkpoint' && !context.baseCheckpoint?.trim()) {
    return { available: false, reason: 'Name the base checkpoint (not instruction-tuned) of the small model, e.g. HuggingFaceTB/SmolLM2-135M for SmolLM2-135M-Instruct.' };
  }
  return { available: true };
}

/** The memory half: full-weight training is offered only when the engine's estimate says it fits. */
export function fullWeightMemoryCheck(estimate: MemoryEstimate | NoEstimate | null): Availability {
  if (estimate === null) return { available: false, reason: 'Training all weights needs a memory estimate for this model and device first.' };
  if ('missing' in estimate) return { available: false, reason: estimate.missing };
  if (estimate.fits) return { available: true };
  const need = `about ${gib(estimate.peakBytes)} GiB at its peak`;
  const limit = estimate.budgetBytes !== null ? `, over your budget of ${gib(estimate.budgetBytes)} GiB` : estimate.limits !== null ? ", over this device's buffer limits" : '';
  const advice = estimate.advice.length > 0 ? ` Try: ${estimate.advice.join('; ')}.` : '';
  return { available: false, reason: `Training all weights does not fit: it needs ${need}${limit}.${advice}` };
}

function gib(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(1);
}
