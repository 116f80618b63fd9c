import { z } from 'zod';

/**
 * A task is what FIAT is applied to: examples D plus how to read them.
 * - `classification`: the model judges `answer` against `question` + `passage` and outputs a label's
 *   verbalizer (XOR-AttriQA: "supported" / "not supported").
 * - `extractive-qa`: the model outputs an answer span from `passage`, or the task's no-answer text
 *   when the passage holds none (`answer: null`).
 */
export const TASK_KINDS = ['classification', 'extractive-qa'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export const METRIC_NAMES = ['accuracy', 'auc-pr', 'token-f1', 'exact-match'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export const ExampleSchema = z.strictObject({
  id: z.string().min(1),
  split: z.enum(SPLITS),
  /** BCP-47-ish language code of the question; 'und' when unknown. */
  lang: z.string().min(1),
  question: z.string().min(1),
  passage: z.string(),
  /** classification: the answer being judged; extractive-qa: the gold span, null = no answer. */
  answer: z.string().nullable(),
  /** classification: the gold label value (a key of the task's labels); absent for extractive-qa. */
  label: z.string().optional(),
  /** Other string fields of the source row (e.g. `question_en`), shown in the example view only. */
  extra: z.record(z.string(), z.string()).optional(),
});
export type Example = z.infer<typeof ExampleSchema>;

export const LabelSchema = z.strictObject({
  /** The value as it appears in the data ("1"). */
  value: z.string().min(1),
  /** The words the models read and write for it ("supported"). */
  verbalizer: z.string().min(1),
});
export type Label = z.infer<typeof LabelSchema>;

export const TaskSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('classification'), labels: z.array(LabelSchema).min(2) }),
  z.strictObject({ kind: z.literal('extractive-qa'), noAnswer: z.string().min(1) }),
]);
export type TaskSpec = z.infer<typeof TaskSpecSchema>;

export const AttributionSchema = z.strictObject({
  source: z.string(),
  licence: z.string(),
  citation: z.string().optional(),
  url: z.string().optional(),
});
export type Attribution = z.infer<typeof AttributionSchema>;

export const TaskInfoSchema = z.strictObject({
  /** `sample:<folder>` for shipped tasks, `imported:<uuid>` for imported datasets. */
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  spec: TaskSpecSchema,
  metrics: z.array(z.enum(METRIC_NAMES)).min(1),
  attribution: AttributionSchema,
});
export type TaskInfo = z.infer<typeof TaskInfoSchema>;

export const TaskSchema = TaskInfoSchema.extend({ examples: z.array(ExampleSchema) });
export type Task = z.infer<typeof TaskSchema>;

export const NO_LABEL = '';

/** The label filter value of an example: its label (classification) or answerable / no-answer (QA). */
export function labelKeyOf(spec: TaskSpec, example: Example): string {
  if (spec.kind === 'classification') return example.label ?? NO_LABEL;
  return example.answer === null ? 'no-answer' : 'answerable';
}

/** The label filter choices of a task, with their display names. */
export function labelChoices(spec: TaskSpec): { key: string; name: string }[] {
  if (spec.kind === 'classification') return spec.labels.map((l) => ({ key: l.value, name: l.verbalizer }));
  return [
    { key: 'answerable', name: 'answerable' },
    { key: 'no-answer', name: spec.noAnswer },
  ];
}

/**
 * The output y the small model is tuned to produce for an example: the label's verbalizer, the answer
 * span, or the task's no-answer text. Undefined when a classification example has an unknown label.
 */
export function targetOf(spec: TaskSpec, example: Example): string | undefined {
  if (spec.kind === 'extractive-qa') return example.answer ?? spec.noAnswer;
  return spec.labels.find((l) => l.value === example.label)?.verbalizer;
}

/** Distinct languages of a task's examples, sorted. */
export function languagesOf(examples: readonly Example[]): string[] {
  return [...new Set(examples.map((e) => e.lang))].sort();
}
