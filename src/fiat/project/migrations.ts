import { DEFAULT_ANSWER_PATTERN_SETTINGS } from '../reasoning/answer-pattern.ts';
import { emptyReasoningCacheExport } from '../reasoning/cache-export.ts';
import { fail, ok, type Result } from '../result.ts';
import { PROJECT_SCHEMA_VERSION } from './project.ts';
import { defaultAnswerSynonyms } from '../task/samples.ts';
import { defaultReasoningSettings } from './reasoning-settings.ts';
import { defaultTuningSettings } from './tuning-settings.ts';

/**
 * Migrations from schema version n to n + 1, one table for a project (as stored in IndexedDB and as
 * the `project` of a file) and one for a whole project file. A file step migrates its project with
 * the project step, so both stay on one version number. Steps take what was valid at version n and
 * return what is valid at n + 1; they never drop what the user wrote.
 */
type Step = (from: Record<string, unknown>) => Record<string, unknown>;

const PROJECT_STEPS: Record<number, Step> = {
  // 2: the project says how reasoning is made and read; a v1 project had none, so the defaults (v2's
  // reasoning settings still held the answer pattern; step 3 moves it to the task).
  1: (project) => ({ ...project, reasoning: { ...defaultReasoningSettings(), answerPattern: { ...DEFAULT_ANSWER_PATTERN_SETTINGS } } }),
  // 3: instructions, exemplars and answer pattern belong to a task: v2's one set becomes the setup of
  // the task it was chosen with (nothing is dropped, only moved); its answer synonyms are the task's defaults.
  2: ({ instructions, exemplars, reasoning, ...project }) => {
    const taskId = typeof project.taskId === 'string' ? project.taskId : '';
    const { answerPattern, ...projectWide } = isRecord(reasoning) ? reasoning : {};
    const setup = { instructions, exemplars, answerPattern, answerSynonyms: defaultAnswerSynonyms(taskId) };
    return { ...project, tasks: { [taskId]: setup }, reasoning: isRecord(reasoning) ? projectWide : reasoning };
  },
  // 4: only the file changed (it carries the tuning runs); the project is as at 3.
  3: (project) => project,
  // 5: each task's setup holds the Tuning tab's choices; before, they were not saved, so the defaults.
  4: (project) => ({ ...project, tasks: withDefaultTuning(project.tasks) }),
  // 6: only the file changed (it carries the experiments); the project is as at 5.
  5: (project) => project,
};

const FILE_STEPS: Record<number, Step> = {
  // 2: the file carries the reasoning cache; a v1 file had none.
  1: (file) => ({ ...file, project: stepProject(file.project, 1), reasoningCache: emptyReasoningCacheExport() }),
  // 3: a saved version belongs to a task; v2's versions were all written for the file's task.
  2: (file) => ({ ...file, project: stepProject(file.project, 2), versions: withTaskId(file.versions, taskIdOf(file.project)) }),
  // 4: the file carries the tuning runs; a v3 file had none.
  3: (file) => ({ ...file, project: stepProject(file.project, 3), runs: [] }),
  // 5: only the project changed (tuning settings per task).
  4: (file) => ({ ...file, project: stepProject(file.project, 4) }),
  // 6: the file carries the experiments (queues) and their results; a v5 file had none.
  5: (file) => ({ ...file, project: stepProject(file.project, 5), experiments: [], experimentResults: [] }),
};

/** Task setups given the default tuning settings; what is not a record of objects is left for the schema to report. */
function withDefaultTuning(tasks: unknown): unknown {
  if (!isRecord(tasks)) return tasks;
  return Object.fromEntries(Object.entries(tasks).map(([id, setup]) => [id, isRecord(setup) && !('tuning' in setup) ? { ...setup, tuning: defaultTuningSettings() } : setup]));
}

const taskIdOf = (project: unknown): unknown => (isRecord(project) ? project.taskId : undefined);

/** Versions given `taskId`; what is not a list of objects is left for the schema to report. */
function withTaskId(versions: unknown, taskId: unknown): unknown {
  if (!Array.isArray(versions)) return versions;
  return versions.map((v: unknown) => (isRecord(v) && !('taskId' in v) ? { ...v, taskId } : v));
}

function stepProject(project: unknown, from: number): unknown {
  // A file whose project is not an object is left for the schema to report.
  if (!isRecord(project)) return project;
  const step = PROJECT_STEPS[from];
  return step ? { ...step(project), schemaVersion: from + 1 } : project;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Brings a stored project (`what` = 'saved project') or a project file (`what` = 'project file') to
 * PROJECT_SCHEMA_VERSION. One message when it cannot: no version, a newer studio's, no step.
 */
export function migrate(raw: Record<string, unknown>, what: 'saved project' | 'project file'): Result<Record<string, unknown>> {
  const steps = what === 'project file' ? FILE_STEPS : PROJECT_STEPS;
  let current = raw;
  let version = current.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail(`The ${what} has no valid schemaVersion.`);
  }
  if (version > PROJECT_SCHEMA_VERSION) {
    return fail(`The ${what} was made by a newer studio (schema version ${version}; this studio reads up to ${PROJECT_SCHEMA_VERSION}).`);
  }
  while (version < PROJECT_SCHEMA_VERSION) {
    const step = steps[version];
    if (!step) return fail(`The ${what} has schema version ${version}, which this studio cannot migrate.`);
    current = { ...step(current), schemaVersion: version + 1 };
    version += 1;
  }
  return ok(current);
}
