import { z } from 'zod';
import { ExperimentSchema, type Experiment, type ExperimentResult } from '../experiments/queue.ts';
import type { QueueStore } from '../experiments/driver.ts';
import type { Evaluation } from '../tuning/evaluate.ts';
import { ExperimentDatabase } from './experiment-db.ts';

/**
 * The experiments' queues and results as the studio keeps them (experiment-db.ts). Rows are validated on read: one
 * written by an older studio or damaged is skipped, never trusted. An evaluation is checked for the shape the
 * results read (a metrics report with its metrics and languages, predictions with their example ids).
 */
const isEvaluation = (value: unknown): value is Evaluation => {
  const v = value as { report?: { kind?: unknown; metrics?: unknown; languages?: unknown; overall?: unknown }; predictions?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.report === 'object' &&
    v.report !== null &&
    (v.report.kind === 'classification' || v.report.kind === 'extractive-qa') &&
    Array.isArray(v.report.metrics) &&
    Array.isArray(v.report.languages) &&
    typeof v.report.overall === 'object' &&
    Array.isArray(v.predictions)
  );
};

export const ExperimentResultSchema = z.object({
  key: z.string().min(1),
  taskId: z.string().min(1),
  runId: z.string().nullable(),
  evaluations: z.array(z.object({ step: z.number().int().min(0), evaluation: z.custom<Evaluation>(isEvaluation, 'not an evaluation') })),
  finishedAt: z.number(),
});

export interface ExperimentRepository extends QueueStore {
  getExperiment(id: string): Promise<Experiment | undefined>;
  /** A task's experiments, newest first. */
  listExperiments(taskId: string): Promise<Experiment[]>;
  /** Deletes the experiment's queue; results stay (other experiments may share them). */
  deleteExperiment(id: string): Promise<void>;
  /** Results by key, for the keys that have one. */
  getResults(keys: readonly string[]): Promise<Map<string, ExperimentResult>>;
  /** Every task's experiments (a project export), oldest first. */
  listAllExperiments(): Promise<Experiment[]>;
  /**
   * A project import: experiments put by id and results by key, in one transaction (all or nothing); those with other
   * ids and keys stay. What is put is the caller's as validated: an experiment keeps its own `updatedAt`.
   */
  mergeExperiments(experiments: readonly Experiment[], results: readonly ExperimentResult[]): Promise<void>;
}

export function createExperimentRepository(db: ExperimentDatabase = new ExperimentDatabase()): ExperimentRepository {
  const experiment = (row: unknown): Experiment | undefined => {
    const parsed = ExperimentSchema.safeParse(row);
    return parsed.success ? parsed.data : undefined;
  };
  const result = (row: unknown): ExperimentResult | undefined => {
    const parsed = ExperimentResultSchema.safeParse(row);
    return parsed.success ? parsed.data : undefined;
  };
  const getResults = async (keys: readonly string[]) => {
    const rows = await db.results.bulkGet([...keys]);
    const found = new Map<string, ExperimentResult>();
    for (const row of rows) {
      const valid = result(row);
      if (valid) found.set(valid.key, valid);
    }
    return found;
  };
  return {
    async saveExperiment(value) {
      await db.experiments.put(ExperimentSchema.parse({ ...value, updatedAt: Date.now() }), value.id);
    },
    async getExperiment(id) {
      return experiment(await db.experiments.get(id));
    },
    async listExperiments(taskId) {
      const rows = await db.experiments.where('taskId').equals(taskId).toArray();
      return rows.flatMap((row) => experiment(row) ?? []).sort((a, b) => b.createdAt - a.createdAt);
    },
    async deleteExperiment(id) {
      await db.experiments.delete(id);
    },
    async finishedKeys(keys) {
      return new Set((await getResults(keys)).keys());
    },
    async getResult(key) {
      return result(await db.results.get(key));
    },
    getResults,
    async saveResult(value) {
      await db.results.put(ExperimentResultSchema.parse(value), value.key);
    },
    async listAllExperiments() {
      const rows = await db.experiments.toArray();
      return rows.flatMap((row) => experiment(row) ?? []).sort((a, b) => a.createdAt - b.createdAt);
    },
    async mergeExperiments(experiments, results) {
      const rows = experiments.map((e) => ExperimentSchema.parse(e));
      const resultRows = results.map((r) => ExperimentResultSchema.parse(r));
      await db.transaction('rw', db.experiments, db.results, async () => {
        await db.experiments.bulkPut(rows);
        await db.results.bulkPut(resultRows);
      });
    },
  };
}
