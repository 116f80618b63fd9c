import { z } from 'zod';
import { ExemplarSchema } from '../exemplars/exemplars.ts';
import { DEFAULT_TASK_ID } from '../task/samples.ts';
import { SPLITS, type TaskKind } from '../task/task.ts';
import { defaultReasoningSettings, ReasoningSettingsSchema } from './reasoning-settings.ts';

/**
 * Version of the stored and exported project shape; bump it with a migration in migrations.ts.
 * 1: task, instructions, exemplars, settings. 2: + reasoning (provider, answer pattern, batch, filter).
 */
export const PROJECT_SCHEMA_VERSION = 2;

export const ExampleFiltersSchema = z.strictObject({
  split: z.enum([...SPLITS, 'all']),
  /** A language code, or 'all'. */
  lang: z.string(),
  /** A label key (see labelKeyOf), or 'all'. */
  label: z.string(),
  search: z.string(),
});
export type ExampleFilters = z.infer<typeof ExampleFiltersSchema>;

export const ProjectSettingsSchema = z.strictObject({
  filters: ExampleFiltersSchema,
  selectedExampleId: z.string().nullable(),
});
export type ProjectSettings = z.infer<typeof ProjectSettingsSchema>;

/**
 * The project the studio edits: the task chosen, I_β and I_τ, the exemplars, settings, and how the
 * large model's reasoning is made and read (reasoning-settings.ts). No secrets
 * belong here (API keys live in the provider's own storage): the schema is strict, so a field that is
 * not listed cannot be stored or exported.
 */
export const ProjectSchema = z.strictObject({
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  taskId: z.string().min(1),
  instructions: z.strictObject({ beta: z.string(), tau: z.string() }),
  exemplars: z.array(ExemplarSchema),
  settings: ProjectSettingsSchema,
  reasoning: ReasoningSettingsSchema,
});
export type Project = z.infer<typeof ProjectSchema>;

export const DEFAULT_FILTERS: ExampleFilters = { split: 'all', lang: 'all', label: 'all', search: '' };

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

export function newProject(taskId: string = DEFAULT_TASK_ID, kind: TaskKind = 'classification'): Project {
  return {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    taskId,
    instructions: { ...STARTER_INSTRUCTIONS[kind] },
    exemplars: [],
    settings: { filters: { ...DEFAULT_FILTERS }, selectedExampleId: null },
    reasoning: defaultReasoningSettings(),
  };
}

/** True when both instructions are still a kind's starters (the user has not written their own). */
export function hasStarterInstructions(project: Project): boolean {
  return Object.values(STARTER_INSTRUCTIONS).some(
    (s) => s.beta === project.instructions.beta && s.tau === project.instructions.tau,
  );
}
