import type { TrainingSetup } from '../../engine/engine.ts';
import type { MethodTraits } from './spec.ts';
import type { TrainingMethod } from '../training-set/build.ts';

/**
 * The methods the studio compares (issue 20; the paper's Tables 2 and 3 and its §4 distillation comparison), each as
 * a recipe: what it reads of ŷ_β and I_τ, which training-set shape it trains on (fiat/training-set/build.ts), which
 * weights it tunes, and which checkpoint it starts from. Pure data: the engine can run every recipe (LoRA, or all
 * weights: engine.ts TrainingSetup.allWeights); availability.ts says which can run here and now and why not (the
 * memory of training all weights, a named base checkpoint); the run queue and the exports (export/) read the recipe.
 *
 * Table 3's ablations are cumulative, each removing one more ingredient from FIAT:
 *   FIAT                              I_τ + x + ŷ_β, LoRA, instruction-tuned θ_τ
 *   w/o CoT-augmented tuning          I_τ + x,       LoRA, instruction-tuned θ_τ
 *   w/o Instruction-augmented tuning  x,             LoRA, instruction-tuned θ_τ
 *   w/o Parameter-efficient tuning    x,             all weights, instruction-tuned θ_τ
 *   w/o Instruction-tuned base model  x,             all weights, a base checkpoint the user names
 * The paper's fine-tuning row (Table 2) equals the last of them ("the bottom line in each block is equivalent to
 * traditional fine-tuning"). The studio's fine-tuning is the one it can run: the bare input, LoRA, on the θ_τ loaded,
 * which is the recipe of "w/o Instruction-augmented tuning" (trainingRecipe says so).
 */

export const METHOD_IDS = ['icl', 'fine-tune', 'fiat', 'no-cot', 'no-instruction', 'no-peft', 'no-instruction-tuned-base', 'distilled-cot'] as const;
export type MethodId = (typeof METHOD_IDS)[number];

/** LoRA adapters (PEFT), or every weight of θ_τ. */
export type TuningKind = 'lora' | 'full';

/** θ_τ as loaded (an instruction-tuned checkpoint, the studio's default), or a base (not instruction-tuned) checkpoint the user names. */
export type BaseModelRequirement = 'instruction-tuned' | 'base-checkpoint';

/**
 * What the method makes of ŷ_β: nothing; an input of θ_τ (train and inference); a training target only (θ_τ writes
 * its own at inference); or, for ICL, the prediction itself (the answer parsed out of ŷ_β, fiat/reasoning).
 */
export type ReasoningUse = 'none' | 'input' | 'target' | 'prediction';

export interface MethodTraining {
  readonly trainingMethod: TrainingMethod;
  readonly tuning: TuningKind;
  readonly base: BaseModelRequirement;
}

export interface Method {
  readonly id: MethodId;
  /** As the paper's tables name it. */
  readonly paperName: string;
  /** One line for the user. */
  readonly description: string;
  readonly reasoning: ReasoningUse;
  /** Whether θ_τ reads I_τ (false: the bare input, or no θ_τ at all). */
  readonly usesTauInstruction: boolean;
  /** How θ_τ is tuned; null for ICL, which trains nothing. */
  readonly training: MethodTraining | null;
  /** The method this one removes an ingredient from (Table 3's chain), null for the rest. */
  readonly ablates: MethodId | null;
}

const lora = (trainingMethod: TrainingMethod): MethodTraining => ({ trainingMethod, tuning: 'lora', base: 'instruction-tuned' });

/** The catalogue, in the order a results table shows it. */
export const METHODS: readonly Method[] = Object.freeze([
  {
    id: 'icl',
    paperName: 'Few-shot ICL',
    description: "The large model's own answers: the label or span parsed out of its reasoning ŷ_β (I_β and its exemplars); nothing is trained.",
    reasoning: 'prediction',
    usesTauInstruction: false,
    training: null,
    ablates: null,
  },
  {
    id: 'fine-tune',
    paperName: 'Fine-tune',
    description: 'θ_τ tuned with LoRA on the bare input (question, passage): no instruction, no reasoning.',
    reasoning: 'none',
    usesTauInstruction: false,
    training: lora('fine-tune'),
    ablates: null,
  },
  {
    id: 'fiat',
    paperName: 'FIAT',
    description: "θ_τ tuned with LoRA on I_τ filled with the example and the large model's reasoning ŷ_β; ŷ_β is also its input at inference.",
    reasoning: 'input',
    usesTauInstruction: true,
    training: lora('fiat'),
    ablates: null,
  },
  {
    id: 'no-cot',
    paperName: 'w/o CoT-augmented tuning',
    description: 'FIAT without the reasoning: I_τ with its {{reasoning}} slot empty, LoRA.',
    reasoning: 'none',
    usesTauInstruction: true,
    training: lora('instruction-only'),
    ablates: 'fiat',
  },
  {
    id: 'no-instruction',
    paperName: 'w/o Instruction-augmented tuning',
    description: 'Also without I_τ: the bare input, LoRA, on the instruction-tuned θ_τ.',
    reasoning: 'none',
    usesTauInstruction: false,
    training: lora('fine-tune'),
    ablates: 'no-cot',
  },
  {
    id: 'no-peft',
    paperName: 'w/o Parameter-efficient tuning',
    description: 'Also without LoRA: the bare input, every weight of the instruction-tuned θ_τ trained.',
    reasoning: 'none',
    usesTauInstruction: false,
    training: { trainingMethod: 'fine-tune', tuning: 'full', base: 'instruction-tuned' },
    ablates: 'no-instruction',
  },
  {
    id: 'no-instruction-tuned-base',
    paperName: 'w/o Instruction-tuned base model',
    description: 'Also without instruction tuning: the bare input, every weight trained, from a base checkpoint you name.',
    reasoning: 'none',
    usesTauInstruction: false,
    training: { trainingMethod: 'fine-tune', tuning: 'full', base: 'base-checkpoint' },
    ablates: 'no-peft',
  },
  {
    id: 'distilled-cot',
    paperName: 'Distilled CoT',
    description: "The reasoning as a second output target (multitask): θ_τ learns the answer from I_τ with no reasoning, and the large model's reasoning from I_τ up to its {{reasoning}}; no ŷ_β at inference.",
    reasoning: 'target',
    usesTauInstruction: true,
    training: lora('distilled-cot'),
    ablates: null,
  },
] satisfies Method[]);

export function methodById(id: MethodId): Method {
  const method = METHODS.find((m) => m.id === id);
  if (!method) throw new Error(`unknown method "${id}"`);
  return method;
}

/** Whether a run of the method trains every weight of θ_τ (TrainingSetup.allWeights) rather than a LoRA adapter. */
export function trainsAllWeights(method: Method): boolean {
  return method.training?.tuning === 'full';
}

/**
 * The engine's setup for a run of the method from the run's shapes and options: a method that tunes every weight
 * ('full') trains all weights (TrainingSetup.allWeights: its `lora` is then not read); a LoRA method's setup is as
 * given. The one place the flag is set, so the memory estimates (the queue builder's, the preflight's) are of the
 * setup the run prepares (the engine runs such a train step without WebGPU graph capture: training-run.ts capturesGraph).
 */
export function methodSetup(method: Method, setup: TrainingSetup): TrainingSetup {
  return trainsAllWeights(method) ? { ...setup, allWeights: true } : setup;
}

/**
 * What a run of the method trains, as a key: two methods with the same key train the same thing on the same data
 * (fine-tune and w/o Instruction-augmented tuning), so a queue need run it only once. Null for ICL.
 */
export function trainingRecipe(method: Method): string | null {
  const t = method.training;
  return t === null ? null : `${t.trainingMethod}/${t.tuning}/${t.base}`;
}

/** What the grid (spec.ts expandGrid) needs of a method, from the catalogue. */
export function methodTraits(id: string): MethodTraits {
  const method = methodById(id as MethodId);
  const recipe = trainingRecipe(method);
  return {
    trains: method.training !== null,
    usesBaseCheckpoint: method.training?.base === 'base-checkpoint',
    ...(recipe === null ? {} : { recipe }),
    readsTau: method.usesTauInstruction,
  };
}

/**
 * The catalogue's method a training-set shape is when tuned with LoRA on the θ_τ loaded (the Tuning tab trains one
 * of those): FIAT, w/o CoT-augmented tuning (instruction-only), Fine-tune (the bare input), Distilled CoT. The first in
 * the catalogue's order, so the bare input is `fine-tune`, not its twin `no-instruction`.
 */
export function loraMethodFor(trainingMethod: TrainingMethod): Method {
  const method = METHODS.find((m) => m.training?.trainingMethod === trainingMethod && m.training.tuning === 'lora' && m.training.base === 'instruction-tuned');
  if (!method) throw new Error(`no LoRA method trains "${trainingMethod}"`);
  return method;
}
