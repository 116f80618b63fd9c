import { z } from 'zod';
import { DEFAULT_TASK_ID } from '../task/samples.ts';
import { SPLITS, type TaskKind } from '../task/task.ts';
import { defaultReasoningSettings, ReasoningSettingsSchema } from './reasoning-settings.ts';
import { starterSetup, type TaskSetup, TaskSetupSchema } from './task-setup.ts';

/**
 * Version of the stored and exported project shape; bump it with a migration in migrations.ts.
 * 1: task, instructions, exemplars, settings. 2: + reasoning (provider, answer pattern, batch, filter).
 * 3: instructions, exemplars and answer pattern per task (task-setup.ts), + answer synonyms.
 * 4: the project file carries the tuning runs (project-file.ts); the project itself is as at 3.
 * 5: each task's setup holds the Tuning tab's choices (tuning-settings.ts).
 * 6: the project file carries the experiments and their results (project-file.ts); the project itself is as at 5.
 */
export const PROJECT_SCHEMA_VERSION = 6;

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
 * The project the studio edits: the task chosen, each task's setup (I_β, I_τ, exemplars, answer
 * reading; task-setup.ts), settings, and the project-wide side of the large model (provider, batch
 * options; reasoning-settings.ts). Invariant: the chosen task has a setup (refined here, kept by
 * every action that changes the task). No secrets belong here (API keys live in the provider's own
 * storage): the schema is strict, so a field that is not listed cannot be stored or exported.
 */
export const ProjectSchema = z
  .strictObject({
    schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
    taskId: z.string().min(1),
    /** Task id -> its setup; tasks the user has chosen at least once. */
    tasks: z.record(z.string().min(1), TaskSetupSchema),
    settings: ProjectSettingsSchema,
    reasoning: ReasoningSettingsSchema,
  })
  .refine((p) => Object.hasOwn(p.tasks, p.taskId), { message: 'the chosen task has no setup', path: ['tasks'] });
export type Project = z.infer<typeof ProjectSchema>;

export const DEFAULT_FILTERS: ExampleFilters = { split: 'all', lang: 'all', label: 'all', search: '' };

export function newProject(taskId: string = DEFAULT_TASK_ID, kind: TaskKind = 'classification'): Project {
  return {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    taskId,
    tasks: { [taskId]: starterSetup(taskId, kind) },
    settings: { filters: { ...DEFAULT_FILTERS }, selectedExampleId: null },
    reasoning: defaultReasoningSettings(),
  };
}

/**
 * The setup of the chosen task: the one accessor for the instructions, exemplars and answer reading
 * (the UI's is useTaskSetup). Its absence breaks ProjectSchema's invariant, so it is a bug, not input.
 */
export function setupOf(project: Project): TaskSetup {
  const setup = project.tasks[project.taskId];
  if (!setup) throw new Error(`The project has no setup for its task "${project.taskId}".`);
  return setup;
}

/** The project with `taskId` chosen; a task chosen for the first time gets its kind's starter setup. */
export function chooseTask(project: Project, taskId: string, kind: TaskKind): Project {
  const tasks = Object.hasOwn(project.tasks, taskId) ? project.tasks : { ...project.tasks, [taskId]: starterSetup(taskId, kind) };
  return { ...project, taskId, tasks };
}

/** The project with the chosen task's setup changed; the same object when `change` returns its input. */
export function updateSetup(project: Project, change: (setup: TaskSetup) => TaskSetup): Project {
  const setup = setupOf(project);
  const next = change(setup);
  return next === setup ? project : { ...project, tasks: { ...project.tasks, [project.taskId]: next } };
}
