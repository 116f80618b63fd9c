import { z } from 'zod';
import { ExperimentSchema, type Experiment, type ExperimentResult } from '../experiments/queue.ts';
import { reasoningCacheExportSchema, type ReasoningCacheExport } from '../reasoning/cache-export.ts';
import { ExperimentResultSchema } from '../storage/experiment-repository.ts';
import { fail, ok, type Result } from '../result.ts';
import { StoredRunSchema, type StoredRun } from '../storage/tuning-repository.ts';
import { isSampleTaskId } from '../task/samples.ts';
import { TaskSchema, type Task } from '../task/task.ts';
import { keepReadableExperiments } from './experiments-repair.ts';
import { isRecord, migrate } from './migrations.ts';
import { PROJECT_SCHEMA_VERSION, ProjectSchema, type Project } from './project.ts';
import { repairTuningSettings } from './tuning-repair.ts';
import { InstructionVersionSchema, type InstructionVersion } from './versions.ts';

export const PROJECT_FILE_FORMAT = 'fiat-studio-project';

/**
 * The exported project: the project, the saved instruction versions, the imported datasets (sample
 * tasks ship with the studio and are referred to by id) and the reasoning cache (the large model's
 * reasonings, so the receiver need not pay for them again) and the tuning runs of every task (settings, curves,
 * metrics and predictions; not their checkpoints, which are large and only resume a run on the device that made
 * them), and the experiments (each with its queue items) with the results their items finished (by key; the
 * tuning runs they name are among the runs). Strict schemas: nothing unlisted (no key, no token) can be written or
 * read; cache entries are rebuilt field by field.
 */
export const ProjectFileSchema = z.strictObject({
  format: z.literal(PROJECT_FILE_FORMAT),
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  exportedAt: z.string(),
  project: ProjectSchema,
  versions: z.array(InstructionVersionSchema),
  datasets: z.array(TaskSchema),
  reasoningCache: reasoningCacheExportSchema,
  runs: z.array(StoredRunSchema),
  experiments: z.array(ExperimentSchema),
  experimentResults: z.array(ExperimentResultSchema),
});
export type ProjectFile = z.infer<typeof ProjectFileSchema>;

/** The experiments a file carries and the results their items finished. */
export interface ProjectExperiments {
  readonly experiments: readonly Experiment[];
  readonly results: readonly ExperimentResult[];
}

export const NO_EXPERIMENTS: ProjectExperiments = { experiments: [], results: [] };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}

/** A run is named by its id (the runs list shows it), not by its place in the file. */
function damagedFileMessage(error: z.ZodError, raw: Record<string, unknown>): string {
  const [first, index, ...rest] = error.issues[0]?.path ?? [];
  if (first !== 'runs' || typeof index !== 'number' || !Array.isArray(raw.runs)) return `The project file is damaged at ${firstIssue(error)}.`;
  const run: unknown = raw.runs[index];
  const id = isRecord(run) && typeof run.id === 'string' && run.id !== '' ? `"${run.id}"` : `number ${index + 1}`;
  const at = rest.length > 0 ? rest.join('.') : '(the run itself)';
  return `The project file's run ${id} is damaged at ${at}: ${error.issues[0]!.message}.`;
}

/**
 * Read a stored project (IndexedDB), migrating it; one message when it cannot be read. Damaged tuning settings do
 * not make it unreadable: each such field gets its default and a note in `repaired` (tuning-repair.ts).
 */
export function readStoredProject(raw: unknown, repaired: string[] = []): Result<Project> {
  if (!isRecord(raw)) return fail('The saved project is not an object.');
  const migrated = migrate(raw, 'saved project');
  if (!migrated.ok) return migrated;
  const repair = repairTuningSettings(migrated.value);
  repaired.push(...repair.notes);
  const parsed = ProjectSchema.safeParse(repair.project);
  return parsed.success ? ok(parsed.data) : fail(`The saved project is damaged at ${firstIssue(parsed.error)}.`);
}

export function buildProjectFile(
  project: Project,
  versions: readonly InstructionVersion[],
  datasets: readonly Task[],
  reasoningCache: ReasoningCacheExport,
  exportedAt: Date,
  runs: readonly StoredRun[] = [],
  experiments: ProjectExperiments = NO_EXPERIMENTS,
): ProjectFile {
  // parse(): a file that would not import back is a bug, not something to hand the user.
  return ProjectFileSchema.parse({
    format: PROJECT_FILE_FORMAT,
    schemaVersion: PROJECT_SCHEMA_VERSION,
    exportedAt: exportedAt.toISOString(),
    project,
    versions,
    datasets,
    reasoningCache,
    runs,
    experiments: experiments.experiments,
    experimentResults: experiments.results,
  });
}

export function serializeProjectFile(file: ProjectFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

export function projectFileName(exportedAt: Date): string {
  return `fiat-project-${exportedAt.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`;
}

/**
 * Read a project file chosen by the user. Anything else (not JSON, another program's JSON, a newer
 * schema, a damaged field, a task the file does not carry) gives one message and no project; damaged tuning
 * settings get their defaults and a note in `repaired` instead, and a damaged experiment or result is left out with
 * a note in `skipped` (experiments-repair.ts).
 */
export function parseProjectFile(text: string, repaired: string[] = [], skipped: string[] = []): Result<ProjectFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('This file is not JSON, so it is not a fiat-studio project file.');
  }
  if (!isRecord(raw) || raw.format !== PROJECT_FILE_FORMAT) {
    return fail(`This JSON file is not a fiat-studio project file (it has no "format": "${PROJECT_FILE_FORMAT}").`);
  }
  const migrated = migrate(raw, 'project file');
  if (!migrated.ok) return migrated;
  const repair = repairTuningSettings(migrated.value.project);
  repaired.push(...repair.notes);
  const readable = keepReadableExperiments(migrated.value);
  skipped.push(...readable.notes);
  const parsed = ProjectFileSchema.safeParse({ ...readable.file, project: repair.project });
  if (!parsed.success) return fail(damagedFileMessage(parsed.error, migrated.value));
  const file = parsed.data;
  const { taskId } = file.project;
  if (!isSampleTaskId(taskId) && !file.datasets.some((d) => d.id === taskId)) {
    return fail(`The project file uses task "${taskId}", which is neither a sample task nor a dataset in the file.`);
  }
  return ok(file);
}
