import { z } from 'zod';
import { LORA_TARGETS, type LrSchedule } from '../../engine/engine.ts';
import { hubEndpointProblem, trimEndpoint } from '../../engine/sources/hub-names.ts';
import type { TrainingMethod, WithoutReasoning } from '../training-set/build.ts';
import { DEFAULT_TRAINING_SHAPES } from '../tuning/training-shapes.ts';

/**
 * The Tuning tab's choices for one task, saved with its setup (task-setup.ts): how the training set is made, the
 * run's settings, its shapes (LoRA, batch, sequence length, memory budget) and which small model the panel offers.
 * A run stores its own copy when it starts; these are what the next run will use.
 *
 * Read leniently (tuning-repair.ts): a field that does not validate gets its default and a message naming it, and
 * the rest of the project is kept. Never a secret: a Hub model is saved without its token (that stays in this
 * browser's storage, per endpoint), local files by their label only (files cannot be saved; they are picked again).
 */

/** The sequence lengths offered: powers of two, as the engine's shapes are built for one. */
export const SEQUENCE_LENGTHS = [128, 256, 512, 1024, 2048] as const;

// The training set's and the engine's own words, checked against their types so the two cannot drift apart.
// Every TrainingMethod the engine trains; values are only ever added (a file saved with fewer still reads), and an
// unknown one (a newer studio's) gets the default with a note (tuning-repair.ts).
export const TRAINING_METHODS = ['fiat', 'instruction-only', 'fine-tune', 'distilled-cot'] as const satisfies readonly TrainingMethod[];
export const WITHOUT_REASONING = ['leave-out', 'train-without'] as const satisfies readonly WithoutReasoning[];
export const LR_DECAYS = ['constant', 'linear', 'cosine'] as const satisfies readonly NonNullable<LrSchedule['decay']>[];

/** What a numeric setting may be: the form's field takes these bounds, the project's schema checks them. */
export interface SettingRange {
  min: number;
  max?: number;
  integer: boolean;
}

export const SETTING_RANGES = {
  r: { min: 1, max: 256, integer: true },
  alpha: { min: 1, max: 1024, integer: false },
  batchSize: { min: 1, max: 256, integer: true },
  microBatchSize: { min: 1, max: 256, integer: true },
  steps: { min: 1, max: 100_000, integer: true },
  epochs: { min: 0.01, max: 1000, integer: false },
  lr: { min: 1e-7, max: 1, integer: false },
  warmupSteps: { min: 0, integer: true },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  evalEvery: { min: 0, integer: true },
  validationSize: { min: 1, integer: true },
  checkpointEvery: { min: 0, integer: true },
} as const satisfies Record<string, SettingRange>;

function ranged({ min, max, integer }: SettingRange) {
  const base = integer ? z.number().int() : z.number();
  const low = base.min(min);
  return max === undefined ? low : low.max(max);
}

export const TrainingSetChoicesSchema = z.strictObject({
  method: z.enum(TRAINING_METHODS),
  /** Examples without a finished reasoning: left out, or trained with an empty {{reasoning}}. */
  withoutReasoning: z.enum(WITHOUT_REASONING),
  /** Apply the small model's chat template (when it has one). */
  chatTemplate: z.boolean(),
});
export type TrainingSetChoices = z.infer<typeof TrainingSetChoicesSchema>;

export const RunSettingsSchema = z.strictObject({
  /** Whether the run's length is given in optimizer steps or in epochs over the training set. */
  length: z.enum(['steps', 'epochs']),
  steps: ranged(SETTING_RANGES.steps),
  epochs: ranged(SETTING_RANGES.epochs),
  lr: ranged(SETTING_RANGES.lr),
  warmupSteps: ranged(SETTING_RANGES.warmupSteps),
  decay: z.enum(LR_DECAYS),
  seed: ranged(SETTING_RANGES.seed),
  evalEvery: ranged(SETTING_RANGES.evalEvery),
  checkpointEvery: ranged(SETTING_RANGES.checkpointEvery),
  validationSize: ranged(SETTING_RANGES.validationSize),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

export const TrainingShapesSchema = z.strictObject({
  lora: z.strictObject({
    r: ranged(SETTING_RANGES.r),
    alpha: ranged(SETTING_RANGES.alpha),
    /** A non-empty subset of the engine's targets, in its order, without repeats. */
    targets: z
      .array(z.enum(LORA_TARGETS))
      .min(1)
      .refine((t) => t.every((x, i) => i === 0 || LORA_TARGETS.indexOf(x) > LORA_TARGETS.indexOf(t[i - 1]!)), 'expected targets in the engine’s order, without repeats'),
  }),
  batchSize: ranged(SETTING_RANGES.batchSize),
  /** At most the batch (checked across the two fields by the repair, which keeps the batch). */
  microBatchSize: ranged(SETTING_RANGES.microBatchSize),
  seqLen: z.union(SEQUENCE_LENGTHS.map((n) => z.literal(n))),
  memoryBudgetBytes: z.number().int().positive().nullable(),
});

const EndpointSchema = z.string().refine((e) => hubEndpointProblem(e) === null && trimEndpoint(e) === e, 'expected a Hub endpoint URL without credentials, query or trailing slash');

/**
 * The small model the panel offers (the user's choice, not the engine's source: the demo model's address depends on
 * the page, a Hub source carries the token). Loading it is the user's click: a reload never downloads anything.
 */
export const SavedModelSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('demo') }),
  z.strictObject({ kind: z.literal('preset'), presetId: z.string().min(1), endpoint: EndpointSchema }),
  z.strictObject({ kind: z.literal('hub'), repo: z.string().min(1), revision: z.string().min(1), endpoint: EndpointSchema }),
  /** Local files: only what they were called; the folder is picked again. */
  z.strictObject({ kind: z.literal('files'), label: z.string() }),
]);
export type SavedModel = z.infer<typeof SavedModelSchema>;

export const TuningSettingsSchema = z
  .strictObject({
    trainingSet: TrainingSetChoicesSchema,
    run: RunSettingsSchema,
    shapes: TrainingShapesSchema,
    model: SavedModelSchema,
  })
  .refine((t) => t.shapes.microBatchSize <= t.shapes.batchSize, { message: 'the micro-batch is larger than the batch', path: ['shapes', 'microBatchSize'] });
export type TuningSettings = z.infer<typeof TuningSettingsSchema>;

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  length: 'steps',
  steps: 100,
  epochs: 3,
  lr: 2e-4,
  warmupSteps: 10,
  decay: 'linear',
  seed: 0,
  evalEvery: 20,
  checkpointEvery: 20,
  validationSize: 64,
};

/** FIAT with examples without reasoning left out and the chat template applied; the default run; the demo model. */
export function defaultTuningSettings(): TuningSettings {
  return {
    trainingSet: { method: 'fiat', withoutReasoning: 'leave-out', chatTemplate: true },
    run: { ...DEFAULT_RUN_SETTINGS },
    // Parsed: a fresh copy, typed as saved (the shapes' defaults live with the memory check, training-shapes.ts).
    shapes: TrainingShapesSchema.parse(DEFAULT_TRAINING_SHAPES),
    model: { kind: 'demo' },
  };
}
