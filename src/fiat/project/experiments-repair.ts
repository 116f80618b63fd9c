import type { z } from 'zod';
import { ExperimentSchema } from '../experiments/queue.ts';
import { ExperimentResultSchema } from '../storage/experiment-repository.ts';
import { isRecord } from './migrations.ts';

/**
 * A project file's experiments and their results, read entry by entry: an entry that does not validate is left out
 * with a note naming it (an experiment by its name and id, a result by its key and run), and the rest of the file is
 * kept, as a damaged tuning setting is (tuning-repair.ts). An item whose result was left out reads as done without a
 * result (fiat/experiments/queue.ts finishedRuns leaves it out). Runs on a migrated file before its strict schema; a
 * field that is not a list is returned as it came, for the schema to report.
 */
export function keepReadableExperiments(file: Record<string, unknown>): { file: Record<string, unknown>; notes: string[] } {
  const notes: string[] = [];
  const experiments = keepValid(file.experiments, ExperimentSchema, experimentName, notes);
  const experimentResults = keepValid(file.experimentResults, ExperimentResultSchema, resultName, notes);
  return { file: { ...file, experiments, experimentResults }, notes };
}

/** One line for the import's confirmation. */
export function skippedSummary(notes: readonly string[]): string {
  return `Some experiments or results in the file are damaged and are not imported; everything else is: ${notes.join('; ')}.`;
}

function keepValid(entries: unknown, schema: z.ZodType, name: (entry: unknown, index: number) => string, notes: string[]): unknown {
  if (!Array.isArray(entries)) return entries;
  return entries.filter((entry: unknown, index) => {
    const parsed = schema.safeParse(entry);
    if (parsed.success) return true;
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? issue.path.join('.') : '(the entry itself)';
    notes.push(`${name(entry, index)} is damaged at ${at}: ${issue?.message ?? 'invalid'}`);
    return false;
  });
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function experimentName(entry: unknown, index: number): string {
  const id = isRecord(entry) ? text(entry.id) : null;
  const name = isRecord(entry) ? text(entry.name) : null;
  if (id === null) return `experiment number ${index + 1}${name === null ? '' : ` ("${name}")`}`;
  return name === null ? `experiment ${id}` : `experiment "${name}" (${id})`;
}

function resultName(entry: unknown, index: number): string {
  const key = isRecord(entry) ? text(entry.key) : null;
  const run = isRecord(entry) ? text(entry.runId) : null;
  const of = run === null ? '' : ` of run ${run}`;
  return key === null ? `result number ${index + 1}${of}` : `result ${key.slice(0, 12)}…${of}`;
}
