import { z } from 'zod';
import type { Example, TaskSpec } from '../task/task.ts';

/**
 * A few-shot exemplar for I_β: an example (copied, so it outlives a change of dataset), the
 * reasoning the prompt engineer wrote for it, and its label.
 */
export const ExemplarSchema = z.strictObject({
  id: z.string().min(1),
  /** The example it was made from, if any; it is never shown as an exemplar in its own prompt. */
  exampleId: z.string().nullable(),
  /** null: shown for examples of every language; a code: only for examples in that language. */
  lang: z.string().nullable(),
  question: z.string(),
  passage: z.string(),
  /** classification: the answer being judged. */
  answer: z.string().nullable(),
  /** Hand-written chain-of-thought reasoning. */
  reasoning: z.string(),
  /** classification: a label value of the task; extractive-qa: the answer text (empty = no answer). */
  label: z.string(),
});
export type Exemplar = z.infer<typeof ExemplarSchema>;

/**
 * A new exemplar from an example. Its language scope follows the paper's practice: per-language
 * exemplars for classification (XOR-AttriQA), one shared set for extractive QA.
 */
export function exemplarFromExample(example: Example, spec: TaskSpec, id: string): Exemplar {
  return {
    id,
    exampleId: example.id,
    lang: spec.kind === 'classification' ? example.lang : null,
    question: example.question,
    passage: example.passage,
    answer: spec.kind === 'classification' ? example.answer : null,
    reasoning: '',
    label: spec.kind === 'classification' ? (example.label ?? '') : (example.answer ?? ''),
  };
}

/**
 * The exemplars shown for an example: those for its language and those for every language, in the
 * user's order, never the example itself.
 */
export function selectExemplars(exemplars: readonly Exemplar[], lang: string, exampleId: string | null): Exemplar[] {
  return exemplars.filter((e) => (e.lang === null || e.lang === lang) && (exampleId === null || e.exampleId !== exampleId));
}

/** The label as the model writes it: the verbalizer (classification) or the answer / no-answer text. */
export function exemplarOutput(exemplar: Exemplar, spec: TaskSpec): string {
  if (spec.kind === 'extractive-qa') return exemplar.label.trim() === '' ? spec.noAnswer : exemplar.label;
  return spec.labels.find((l) => l.value === exemplar.label)?.verbalizer ?? exemplar.label;
}

/**
 * One exemplar as text. The format is fixed per task kind (README, "Template syntax"):
 *   classification: Question / Passage / Answer / Reasoning / Label
 *   extractive-qa:  Question / Passage / Reasoning / Answer
 */
export function formatExemplar(exemplar: Exemplar, spec: TaskSpec): string {
  const lines = [`Question: ${exemplar.question}`, `Passage: ${exemplar.passage}`];
  if (spec.kind === 'classification') {
    lines.push(`Answer: ${exemplar.answer ?? ''}`, `Reasoning: ${exemplar.reasoning}`, `Label: ${exemplarOutput(exemplar, spec)}`);
  } else {
    lines.push(`Reasoning: ${exemplar.reasoning}`, `Answer: ${exemplarOutput(exemplar, spec)}`);
  }
  return lines.join('\n');
}

/** The {{exemplars}} block for an example: its selected exemplars, separated by blank lines. */
export function renderExemplars(exemplars: readonly Exemplar[], spec: TaskSpec, lang: string, exampleId: string | null): string {
  return selectExemplars(exemplars, lang, exampleId)
    .map((e) => formatExemplar(e, spec))
    .join('\n\n');
}
