import { z } from 'zod';
import type { TrainingCheckpoint } from '../../engine/engine.ts';
import { SPLITS } from '../task/task.ts';
import { TuningDatabase, type StoredCheckpoint } from './tuning-db.ts';

/**
 * What an evaluation made after a run (the Evaluate section) ran on: the split and how much of it, the model state, and
 * what could not be evaluated. An evaluation without a tag is one of the run's own, at its steps, on its validation
 * sample with its adapter at that step (records written before tags existed parse as such).
 */
export const EvaluationTagSchema = z.object({
  split: z.enum(SPLITS),
  /** The split's first N examples were asked for; null: all of them. */
  sample: z.number().int().min(1).nullable(),
  /** The run's adapter at the evaluation's step (its checkpoint), the base model, or an imported PEFT adapter. */
  state: z.discriminatedUnion('kind', [z.object({ kind: z.literal('run') }), z.object({ kind: z.literal('base') }), z.object({ kind: z.literal('imported'), from: z.string() })]),
  /** Examples asked for, and those that could not be evaluated, by why. */
  asked: z.number().int().min(0),
  notEvaluated: z.object({ noGold: z.number().int().min(0), noReasoning: z.number().int().min(0), tooLong: z.number().int().min(0) }),
  /** When it was made (ms since the epoch): several evaluations may share a step. */
  at: z.number(),
});
export type EvaluationTag = z.infer<typeof EvaluationTagSchema>;

/**
 * A tuning run as the studio keeps it: what was tuned (model, revision, settings, the I_τ version and a hash of the
 * training data), its curves and its latest status. Predictions and metrics are the evaluations' own (their shape is
 * the metrics report's, stored as data). Validated on read: a row written by an older studio or damaged is skipped,
 * never trusted.
 */
export const StoredRunSchema = z.object({
  id: z.string().min(1),
  /**
   * Absent or 'run': a tuning run. 'evaluations': no training, only evaluations of a model without a run's adapter
   * (the base model, the "before tuning" number, and imported adapters), one record per task and model.
   */
  kind: z.enum(['run', 'evaluations']).optional(),
  taskId: z.string().min(1),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** The model's label (repo@revision), and its source as the engine takes it (no token). */
  model: z.object({ label: z.string(), repo: z.string().nullable(), revision: z.string().nullable() }),
  /** The run settings as the user chose them (fiat/tuning's RunPlan and the training-set options). */
  settings: z.record(z.string(), z.unknown()),
  tauVersion: z.string(),
  dataHash: z.string(),
  status: z.enum(['preparing', 'running', 'evaluating', 'paused', 'done', 'cancelled', 'diverged', 'device-lost', 'failed']),
  message: z.string().optional(),
  step: z.number().int().min(0),
  totalSteps: z.number().int().min(1),
  losses: z.array(z.object({ step: z.number().int(), loss: z.number() })),
  evaluations: z.array(z.object({ step: z.number().int(), result: z.unknown(), tag: EvaluationTagSchema.optional() })),
});
export type StoredRun = z.infer<typeof StoredRunSchema>;

/** Checkpoints kept per run: the newest two (the newest may be the one a crash interrupted while it was written). */
const KEEP_CHECKPOINTS = 2;

export interface TuningRepository {
  saveRun(run: StoredRun): Promise<void>;
  getRun(id: string): Promise<StoredRun | undefined>;
  /** A task's runs, newest first. */
  listRuns(taskId: string): Promise<StoredRun[]>;
  deleteRun(id: string): Promise<void>;
  /** Every task's runs (what a project export carries), newest first; damaged rows skipped. */
  listAllRuns(): Promise<StoredRun[]>;
  /**
   * Replaces all runs with these (a project import), in one transaction: all or nothing. Every checkpoint goes too:
   * the imported runs have none, and the replaced runs are gone.
   */
  replaceRuns(runs: readonly StoredRun[]): Promise<void>;
  saveCheckpoint(runId: string, checkpoint: TrainingCheckpoint): Promise<void>;
  latestCheckpoint(runId: string): Promise<TrainingCheckpoint | undefined>;
  /** Drops the run's checkpoints at `step` and after (a diverged run's bad ones); resolves with the latest step left, null if none. */
  discardCheckpointsFrom(runId: string, step: number): Promise<number | null>;
}

export function createTuningRepository(db: TuningDatabase = new TuningDatabase()): TuningRepository {
  const valid = (row: unknown): StoredRun | undefined => {
    const parsed = StoredRunSchema.safeParse(row);
    return parsed.success ? parsed.data : undefined;
  };
  return {
    async saveRun(run) {
      await db.runs.put(StoredRunSchema.parse(run), run.id);
    },
    async getRun(id) {
      return valid(await db.runs.get(id));
    },
    async listRuns(taskId) {
      const rows = await db.runs.where('taskId').equals(taskId).toArray();
      return rows.flatMap((row) => valid(row) ?? []).sort((a, b) => b.createdAt - a.createdAt);
    },
    async deleteRun(id) {
      await db.transaction('rw', db.runs, db.checkpoints, async () => {
        await db.runs.delete(id);
        await db.checkpoints.where('runId').equals(id).delete();
      });
    },
    async listAllRuns() {
      const rows = await db.runs.toArray();
      return rows.flatMap((row) => valid(row) ?? []).sort((a, b) => b.createdAt - a.createdAt);
    },
    async replaceRuns(runs) {
      const rows = runs.map((run) => StoredRunSchema.parse(run));
      await db.transaction('rw', db.runs, db.checkpoints, async () => {
        await db.runs.clear();
        await db.checkpoints.clear();
        await db.runs.bulkPut(rows);
      });
    },
    async saveCheckpoint(runId, checkpoint) {
      const row: StoredCheckpoint = { runId, step: checkpoint.step, state: checkpoint.state, savedAt: Date.now() };
      await db.transaction('rw', db.checkpoints, async () => {
        await db.checkpoints.put(row);
        const steps = (await db.checkpoints.where('runId').equals(runId).primaryKeys()).map(([, step]) => step).sort((a, b) => b - a);
        for (const step of steps.slice(KEEP_CHECKPOINTS)) await db.checkpoints.delete([runId, step]);
      });
    },
    async latestCheckpoint(runId) {
      const rows = await db.checkpoints.where('runId').equals(runId).toArray();
      const latest = rows.sort((a, b) => b.step - a.step)[0];
      return latest ? { step: latest.step, state: latest.state } : undefined;
    },
    async discardCheckpointsFrom(runId, step) {
      return db.transaction('rw', db.checkpoints, async () => {
        const steps = (await db.checkpoints.where('runId').equals(runId).primaryKeys()).map(([, s]) => s);
        for (const s of steps.filter((s) => s >= step)) await db.checkpoints.delete([runId, s]);
        const left = steps.filter((s) => s < step);
        return left.length > 0 ? Math.max(...left) : null;
      });
    },
  };
}
