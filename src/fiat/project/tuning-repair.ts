import { z } from 'zod';
import { isRecord } from './migrations.ts';
import { defaultTuningSettings, TuningSettingsSchema } from './tuning-settings.ts';

/**
 * Each task's tuning settings, read field by field: a field that is missing or does not validate gets its default
 * and a note naming the task and the field, an unknown field is left out with a note, and everything else in the
 * project is kept as read. Runs on a migrated project (stored or from a file) before its strict schema, which then
 * never fails on these settings. Anything that is not a project with task setups is returned as it came, for the
 * schema to report.
 */
export function repairTuningSettings(project: unknown): { project: unknown; notes: string[] } {
  if (!isRecord(project) || !isRecord(project.tasks)) return { project, notes: [] };
  const notes: string[] = [];
  const tasks: Record<string, unknown> = {};
  for (const [taskId, setup] of Object.entries(project.tasks)) {
    if (!isRecord(setup)) {
      tasks[taskId] = setup;
      continue;
    }
    const found: string[] = [];
    const tuning = repairObject(TuningSettingsSchema, setup.tuning, defaultTuningSettings(), '', found);
    keepMicroBatchWithinBatch(tuning, found);
    tasks[taskId] = { ...setup, tuning };
    notes.push(...found.map((f) => `Task "${taskId}", tuning setting ${f}`));
  }
  return { project: { ...project, tasks }, notes };
}

/** One line for a notice: which settings got their defaults. */
export function repairSummary(what: 'saved project' | 'project file', notes: readonly string[]): string {
  return `The ${what} had damaged tuning settings; each got its default and everything else was kept: ${notes.join('; ')}.`;
}

function repairObject(schema: z.ZodObject, raw: unknown, fallback: Record<string, unknown>, path: string, notes: string[]): Record<string, unknown> {
  if (!isRecord(raw)) {
    notes.push(`${path === '' ? '(all of them)' : path}: ${raw === undefined ? 'missing' : 'not an object'}; the defaults are used`);
    return structuredClone(fallback);
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const at = path === '' ? key : `${path}.${key}`;
    const fallbackValue = fallback[key];
    if (field instanceof z.ZodObject && isRecord(fallbackValue)) {
      out[key] = repairObject(field, raw[key], fallbackValue, at, notes);
      continue;
    }
    const parsed = (field as z.ZodType).safeParse(raw[key]);
    if (parsed.success) out[key] = parsed.data;
    else {
      notes.push(`${at}: ${raw[key] === undefined ? 'missing' : (parsed.error.issues[0]?.message ?? 'invalid')}; the default ${JSON.stringify(fallbackValue)} is used`);
      out[key] = structuredClone(fallbackValue);
    }
  }
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(schema.shape, key)) notes.push(`${path === '' ? key : `${path}.${key}`}: not a tuning setting; left out`);
  }
  return out;
}

/** A micro-batch larger than the batch: the batch is kept (it shapes the run) and the micro-batch becomes the batch. */
function keepMicroBatchWithinBatch(tuning: Record<string, unknown>, notes: string[]): void {
  const shapes = tuning.shapes;
  if (!isRecord(shapes) || typeof shapes.batchSize !== 'number' || typeof shapes.microBatchSize !== 'number') return;
  if (shapes.microBatchSize <= shapes.batchSize) return;
  notes.push(`shapes.microBatchSize: ${shapes.microBatchSize} is larger than the batch; ${shapes.batchSize} is used`);
  shapes.microBatchSize = shapes.batchSize;
}
