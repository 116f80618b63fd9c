import type { Exemplar } from '../exemplars/exemplars.ts';
import { assembleBareInput, assembleTau, exampleValues, type Instructions, tauTemplateErrors, trainingPromptOf } from '../prompt/assemble.ts';
import { assembleRationalePrompt, distilledCotErrors, rationaleCompletion, type TrainingTarget } from '../prompt/distilled-cot.ts';
import type { ExampleAgreement } from '../reasoning/agreement.ts';
import { selectTrainingExamples } from '../reasoning/training-filter.ts';
import { type Example, targetOf, type TaskSpec } from '../task/task.ts';
import type { TemplateDiagnostic } from '../template/lint.ts';
import type { Rendered } from '../template/render.ts';

/**
 * The training set of θ_τ: for each train example a prompt and a completion, every text from the one prompt
 * assembly (fiat/prompt/assemble.ts), so what is trained is what the preview shows. Pure: the caller gives the
 * cached reasoning and the agreements it has read.
 *
 * Methods (the input shapes; fiat/experiments/methods.ts maps the paper's methods and ablations onto them):
 * - `fiat`: I_τ rendered with the example and its reasoning ŷ_β (the paper's FIAT);
 * - `instruction-only`: I_τ with its {{reasoning}} slot filled with nothing, the instruction's own words kept (the
 *   ablation without CoT-augmented tuning: the same I_τ version as FIAT, so the comparison changes the reasoning
 *   only; an I_τ written without {{reasoning}} renders as it is). It needs no reasoning;
 * - `fine-tune`: the bare input (assemble.ts BARE_INPUT_TEMPLATES), no instruction and no reasoning (the paper's
 *   fine-tuning baseline). It needs no reasoning;
 * - `distilled-cot`: two pairs per example (fiat/prompt/distilled-cot.ts, the paper's multitask distillation): the
 *   answer task as `instruction-only`, and the rationale task, I_τ up to its {{reasoning}} slot -> ŷ_β; at inference
 *   only the answer task is asked (`evaluationMethodOf`). It needs the reasoning (a target): examples without one are
 *   always left out, whatever the without-reasoning choice.
 * Methods that need no reasoning ignore the reasoning options: every example with a gold answer is used.
 * The completion is the gold answer y (task.ts targetOf): the label's verbalizer, the answer span or the task's
 * no-answer text; for distilled CoT's rationale pairs, the reasoning. The engine appends EOS to it and puts the loss
 * on it only (engine/sequences.ts).
 *
 * Examples without a finished reasoning (none cached, or cut at max tokens), when I_τ has a {{reasoning}} slot:
 * - `leave-out`: not trained (the default; with only-agreeing on this is what the Reasoning tab counts);
 * - `train-without`: trained on I_τ with the slot filled with nothing: the instruction's own words around it
 *   stay as written, so the model sees the same instruction with an empty reasoning.
 * An I_τ without {{reasoning}} (the paper's ablation without CoT-augmented tuning) needs no reasoning: no example
 * counts as without one.
 *
 * Only-agreeing (the project's option) applies to the examples that have a reasoning: those whose reasoning does
 * not agree with gold (disagrees, unparsed) are left out, through the one rule (training-filter.ts). Examples
 * without a reasoning follow the without-reasoning choice instead.
 */

export type TrainingMethod = 'fiat' | 'instruction-only' | 'fine-tune' | 'distilled-cot';
export type WithoutReasoning = 'leave-out' | 'train-without';

export interface TrainingSetOptions {
  method: TrainingMethod;
  onlyAgreeing: boolean;
  withoutReasoning: WithoutReasoning;
}

export const DEFAULT_TRAINING_SET_OPTIONS: Readonly<TrainingSetOptions> = Object.freeze({ method: 'fiat', onlyAgreeing: false, withoutReasoning: 'leave-out' });

/** What renders a training prompt, apart from the example and its reasoning. */
export interface TrainingPromptContext {
  spec: TaskSpec;
  instructions: Instructions;
  exemplars: readonly Exemplar[];
  method: TrainingMethod;
}

export interface TrainingSetInput extends Omit<TrainingPromptContext, 'method'> {
  /** The train examples, in order. */
  examples: readonly Example[];
  /** The example's finished reasoning ŷ_β, or null when it has none (not cached, or cut at max tokens). */
  reasoningFor: (exampleId: string) => string | null;
  agreements: ReadonlyMap<string, ExampleAgreement>;
  options: TrainingSetOptions;
}

export interface TrainingSetExample {
  exampleId: string;
  lang: string;
  /** What the pair teaches: the answer, or (distilled CoT's second pair of the example) the rationale. */
  target: TrainingTarget;
  /** The training prompt (before any chat template). */
  prompt: string;
  /** The gold answer y (a rationale pair: the reasoning). */
  completion: string;
  /** The prompt as rendered segments: which text came from which variable (the token budget counts them). */
  input: Rendered;
  /**
   * What re-renders it (the token budget shortens the passage): the example and the reasoning it was rendered with
   * ('' for an example trained without one; undefined for the methods without reasoning). Distilled CoT's pairs hold
   * it without it in their input (the rationale's completion is it).
   */
  example: Example;
  reasoning: string | undefined;
}

export type LeftOutReason = 'no-gold' | 'no-reasoning' | 'not-agreeing';

export interface TrainingSetCounts {
  /** Examples given. */
  total: number;
  /** In the training set. */
  used: number;
  /** Left out: a classification example whose label is none of the task's. */
  noGold: number;
  /** Without the reasoning I_τ asks for: left out or trained without, as the options say. */
  noReasoning: number;
  /** Of those, trained without it. */
  trainedWithoutReasoning: number;
  /** Left out by only-agreeing: the reasoning disagrees with gold or its answer could not be read. */
  notAgreeing: number;
}

export type TrainingSet =
  | { ok: true; examples: TrainingSetExample[]; counts: TrainingSetCounts; leftOut: { exampleId: string; reason: LeftOutReason }[] }
  /** I_τ has template errors (methods that use I_τ), or a shape distilled CoT cannot split: nothing is trained until they are fixed. */
  | { ok: false; errors: TemplateDiagnostic[] };

/**
 * The input of one example for a method: I_τ with the reasoning (undefined: the slot is pending; '' for an example
 * trained without one), I_τ with an empty slot, the bare input, or (distilled CoT) the answer task's I_τ with an empty
 * slot or the rationale task's I_τ up to its slot. The token budget calls it again with a shorter passage.
 */
export function renderTrainingInput(context: TrainingPromptContext, example: Example, reasoning: string | undefined, target: TrainingTarget = 'answer'): Rendered {
  const values = exampleValues(context.spec, example, context.exemplars);
  switch (context.method) {
    case 'fiat':
      return assembleTau(context.spec, context.instructions.tau, values, reasoning);
    case 'instruction-only':
      return assembleTau(context.spec, context.instructions.tau, values, '');
    case 'fine-tune':
      return assembleBareInput(context.spec, values);
    case 'distilled-cot':
      return target === 'rationale' ? assembleRationalePrompt(context.spec, context.instructions.tau, values) : assembleTau(context.spec, context.instructions.tau, values, '');
  }
}

/** The input shape a method's tuned model is asked at inference: distilled CoT's answer task, without reasoning. */
export function evaluationMethodOf(method: TrainingMethod): TrainingMethod {
  return method === 'distilled-cot' ? 'instruction-only' : method;
}

/** Template errors that stop a method's training set: I_τ's (and distilled CoT's shape), none for the bare input. */
export function trainingTemplateErrors(context: Pick<TrainingPromptContext, 'spec' | 'instructions' | 'method'>): TemplateDiagnostic[] {
  if (context.method === 'fine-tune') return [];
  const errors = tauTemplateErrors(context.instructions.tau, context.spec);
  return context.method === 'distilled-cot' ? [...errors, ...distilledCotErrors(context.instructions.tau)] : errors;
}

export function buildTrainingSet(input: TrainingSetInput): TrainingSet {
  const { spec, options } = input;
  const context: TrainingPromptContext = { spec, instructions: input.instructions, exemplars: input.exemplars, method: options.method };
  const errors = trainingTemplateErrors(context);
  if (errors.length > 0) return { ok: false, errors };
  const counts: TrainingSetCounts = { total: input.examples.length, used: 0, noGold: 0, noReasoning: 0, trainedWithoutReasoning: 0, notAgreeing: 0 };
  const leftOut: { exampleId: string; reason: LeftOutReason }[] = [];
  const leave = (exampleId: string, reason: LeftOutReason) => leftOut.push({ exampleId, reason });

  // Gold first: an example without one is never trained, whatever its reasoning.
  const withGold: { example: Example; completion: string }[] = [];
  for (const example of input.examples) {
    const completion = targetOf(spec, example);
    if (completion === undefined) {
      counts.noGold += 1;
      leave(example.id, 'no-gold');
    } else withGold.push({ example, completion });
  }

  const usesReasoning = options.method === 'fiat' || options.method === 'distilled-cot';
  const distilled = options.method === 'distilled-cot';
  const withReasoning = usesReasoning ? withGold.filter(({ example }) => input.reasoningFor(example.id) !== null) : [];
  const agreeing = options.onlyAgreeing ? new Set(selectTrainingExamples(withReasoning, ({ example }) => example.id, input.agreements, options).selected) : null;

  const examples: TrainingSetExample[] = [];
  for (const item of withGold) {
    const { example, completion } = item;
    let reasoning = usesReasoning ? (input.reasoningFor(example.id) ?? undefined) : undefined;
    let rendered = renderTrainingInput(context, example, reasoning);
    // Distilled CoT's input has an empty slot, so "pending" is its rationale target being missing.
    if (rendered.pendingReasoning || (distilled && reasoning === undefined)) {
      counts.noReasoning += 1;
      if (options.withoutReasoning === 'leave-out' || distilled) {
        leave(example.id, 'no-reasoning');
        continue;
      }
      counts.trainedWithoutReasoning += 1;
      reasoning = '';
      rendered = renderTrainingInput(context, example, reasoning);
    } else if (agreeing && reasoning !== undefined && !agreeing.has(item)) {
      counts.notAgreeing += 1;
      leave(example.id, 'not-agreeing');
      continue;
    }
    const prompt = trainingPromptOf(rendered);
    // Unreachable after the template check and the fill above; kept so no null prompt can reach the engine.
    if (prompt === null) throw new Error(`example ${example.id}: no training prompt`);
    examples.push({ exampleId: example.id, lang: example.lang, target: 'answer', prompt, completion, input: rendered, example, reasoning });
    if (distilled && reasoning !== undefined) {
      const rationale = renderTrainingInput(context, example, reasoning, 'rationale');
      examples.push({ exampleId: example.id, lang: example.lang, target: 'rationale', prompt: rationale.text, completion: rationaleCompletion(input.instructions.tau, reasoning), input: rationale, example, reasoning });
    }
  }
  // Examples, not pairs (distilled CoT trains two pairs per example).
  counts.used = new Set(examples.map((e) => e.exampleId)).size;
  return { ok: true, examples, counts, leftOut };
}
