import type { TrainingMethod } from '../../../fiat/training-set/build.ts';
import type { TemplateDiagnostic } from '../../../fiat/template/lint.ts';

/**
 * The Tuning tab's method choice: every input shape the engine can train (fiat/training-set/build.ts TrainingMethod),
 * named as the paper's methods and ablations it is (fiat/experiments/methods.ts), each with what goes into the input.
 * The order is the tab's: FIAT, then its ablation without the reasoning, then the bare input, then distilled CoT.
 */
export interface MethodOption {
  readonly value: TrainingMethod;
  readonly label: string;
  /** What the prompt and the completion are, in one line. */
  readonly input: string;
  /** Whether the training set reads the reasoning ŷ_β (the reasoning options and notes apply). */
  readonly readsReasoning: boolean;
}

export const METHOD_OPTIONS: readonly MethodOption[] = [
  {
    value: 'fiat',
    label: 'FIAT',
    input: 'Input: I_τ filled with the example and its reasoning ŷ_β. Completion: the gold answer.',
    readsReasoning: true,
  },
  {
    value: 'instruction-only',
    label: 'Instruction only (w/o CoT-augmented tuning)',
    input: 'Input: I_τ filled with the example, its {{reasoning}} left empty (the instruction’s own words kept). Completion: the gold answer. No reasoning needed.',
    readsReasoning: false,
  },
  {
    value: 'fine-tune',
    label: 'Fine-tune (bare input)',
    input: 'Input: the bare question and passage (and the judged answer), no instruction, no reasoning. Completion: the gold answer.',
    readsReasoning: false,
  },
  {
    value: 'distilled-cot',
    label: 'Distilled CoT (reasoning as a second target)',
    input:
      'Two pairs per example: I_τ with {{reasoning}} empty → the gold answer, and I_τ up to {{reasoning}} → the reasoning ŷ_β. At inference only the first: no reasoning is given or written. Examples without a reasoning are left out.',
    readsReasoning: true,
  },
];

export function methodOption(method: TrainingMethod): MethodOption {
  const option = METHOD_OPTIONS.find((o) => o.value === method);
  if (!option) throw new Error(`no option for the training method "${method}"`);
  return option;
}

/** The option for a <select>'s value; an unknown value (none is offered) keeps `current`. */
export function methodFromValue(value: string, current: TrainingMethod): TrainingMethod {
  return METHOD_OPTIONS.find((o) => o.value === value)?.value ?? current;
}

/**
 * Why the current I_τ cannot serve the method, in the user's words, or null when it can (or when its problems are
 * plain template errors, which the section reports as such). Distilled CoT splits I_τ at its {{reasoning}} slot
 * (fiat/prompt/distilled-cot.ts), so without one there is no rationale task.
 */
export function methodCannotUse(method: TrainingMethod, errors: readonly TemplateDiagnostic[]): string | null {
  if (method === 'distilled-cot' && errors.some((e) => e.code === 'missing-reasoning')) {
    return 'Distilled CoT cannot use this I_τ: it trains the reasoning as the text of I_τ’s {{reasoning}} slot, and I_τ has none. Add {{reasoning}} to I_τ where the reasoning goes, or choose another method.';
  }
  return null;
}

/** A note on what the method does with an I_τ that has no {{reasoning}}, or null. */
export function methodNote(method: TrainingMethod, tauHasReasoning: boolean): string | null {
  if (tauHasReasoning) return null;
  if (method === 'fiat') return 'I_τ has no {{reasoning}}, so FIAT trains without the reasoning here: the same input as Instruction only.';
  if (method === 'instruction-only') return 'I_τ has no {{reasoning}}: the input is I_τ as written.';
  return null;
}
