import { z } from 'zod';
import { ExemplarSchema } from '../exemplars/exemplars.ts';
import { DEFAULT_ANSWER_PATTERN_SETTINGS } from '../reasoning/answer-pattern.ts';
import { AnswerSynonymsSchema } from '../reasoning/answer-synonyms.ts';
import { defaultAnswerSynonyms } from '../task/samples.ts';
import type { TaskKind } from '../task/task.ts';
import { defaultTuningSettings, TuningSettingsSchema } from './tuning-settings.ts';

/**
 * What the prompt engineer writes for one task: I_β and I_τ, I_β's exemplars, how the large model's
 * final answer is read (the answer pattern, and the answer synonyms of a classification task's
 * labels). Each task of a project keeps its own, so switching tasks never carries one task's
 * instructions or exemplars into another (a classification I_β is invalid for extractive QA, and an
 * exemplar's label means nothing outside its task). Saved instruction versions belong to a task too, and so do the
 * Tuning tab's choices (since schema 5).
 */
export const InstructionsSchema = z.strictObject({ beta: z.string(), tau: z.string() });
export type Instructions = z.infer<typeof InstructionsSchema>;

export const AnswerPatternSettingsSchema = z.strictObject({
  /** Kept as typed, even when it does not compile (the field says why); compiled where used. */
  source: z.string(),
  caseSensitive: z.boolean(),
});

export const TaskSetupSchema = z.strictObject({
  instructions: InstructionsSchema,
  exemplars: z.array(ExemplarSchema),
  answerPattern: AnswerPatternSettingsSchema,
  /** Label value -> other words that read as that label (classification; empty for extractive QA). */
  answerSynonyms: AnswerSynonymsSchema,
  /** The Tuning tab's choices for this task (tuning-settings.ts): the training set, the run, its shapes, the small model. */
  tuning: TuningSettingsSchema,
});
export type TaskSetup = z.infer<typeof TaskSetupSchema>;

/** Starting instructions per task kind, so a new project shows a working preview at once. */
export const STARTER_INSTRUCTIONS: Record<TaskKind, { beta: string; tau: string }> = {
  classification: {
    beta: [
      'You check whether an answer to a question is supported by a passage. Think step by step in English:',
      'what does the question ask, what does the passage say, does it state the answer? Then give the label.',
      '',
      '{{exemplars}}',
      '',
      'Question: {{question}}',
      'Passage: {{passage}}',
      'Answer: {{answer}}',
      'Reasoning:',
    ].join('\n'),
    tau: [
      'Is the answer to the question supported by the passage? Use the reasoning if it helps.',
      'Reply with one label: supported or not supported.',
      '',
      'Question: {{question}}',
      'Passage: {{passage}}',
      'Answer: {{answer}}',
      'Reasoning: {{reasoning}}',
      'Label:',
    ].join('\n'),
  },
  'extractive-qa': {
    beta: [
      'Answer the question from the passage. The question may be in another language; reason in English,',
      'step by step: translate the question, find the sentence that answers it, then give the shortest',
      'English span of the passage that answers it, or "no answer" if the passage does not.',
      '',
      '{{exemplars}}',
      '',
      'Question: {{question}}',
      'Passage: {{passage}}',
      'Reasoning:',
    ].join('\n'),
    tau: [
      'Answer the question with a span copied from the passage, or "no answer". Use the reasoning if it helps.',
      '',
      'Question: {{question}}',
      'Passage: {{passage}}',
      'Reasoning: {{reasoning}}',
      'Answer:',
    ].join('\n'),
  },
};

/** The setup a task starts with when first chosen: its kind's starters, no exemplars, the default answer reading and tuning settings. */
export function starterSetup(taskId: string, kind: TaskKind): TaskSetup {
  return {
    instructions: { ...STARTER_INSTRUCTIONS[kind] },
    exemplars: [],
    answerPattern: { ...DEFAULT_ANSWER_PATTERN_SETTINGS },
    answerSynonyms: defaultAnswerSynonyms(taskId),
    tuning: defaultTuningSettings(),
  };
}
