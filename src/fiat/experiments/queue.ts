import { z } from 'zod';
import type { Evaluation } from '../tuning/evaluate.ts';
import { cellId, RunSpecSchema, specKey, type RunSpec } from './spec.ts';

/**
 * An experiment's run queue as data, and the pure transitions on it (the driver and the UI apply them, the repository
 * stores the result). Items run in queue order. An item's life:
 *
 *   pending -> running -> done        (its result is stored under its key; `reused` when another item's or an
 *                                       earlier experiment's result with the same key was taken instead)
 *                      -> failed      (with its message; diverged, a run that failed, a run that cannot start)
 *                      -> pending     (paused, the GPU lost, or a reload: `runId` says which run to resume)
 *           -> cancelled              (by the user; `requeue` puts it back)
 *   done | failed | cancelled -> pending   (`requeue`; with `force` a result with its key is computed again)
 *
 * Results live apart from the items (ExperimentResult, by key), so a failed or re-run item never removes what
 * another item finished.
 */

export const ITEM_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const QueueItemSchema = z.object({
  /** The grid cell (spec.ts cellId): unique within the experiment. */
  id: z.string().min(1),
  key: z.string().min(1),
  spec: RunSpecSchema,
  status: z.enum(ITEM_STATUSES),
  /** Compute even when a result with this key exists (a re-run the user asked for). */
  force: z.boolean(),
  /**
   * The tuning run that computes or computed it (fiat/storage tuning runs): while pending after a pause or reload,
   * the run to resume from its latest checkpoint; null for a method that trains nothing or before its run started.
   */
  runId: z.string().nullable(),
  /** Why it failed, why it went back to pending, or why it was reused. */
  message: z.string().optional(),
  reused: z.boolean().optional(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

export const ExperimentSchema = z.object({
  id: z.string().min(1),
  taskId: z.string().min(1),
  name: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  items: z.array(QueueItemSchema),
});
export type Experiment = z.infer<typeof ExperimentSchema>;

/** A run's evaluation at a step (step 0 before training; a method without training has only step 0). */
export interface StepEvaluation {
  readonly step: number;
  readonly evaluation: Evaluation;
}

/** A finished run's outcome, stored once per key. */
export interface ExperimentResult {
  readonly key: string;
  readonly taskId: string;
  /** The tuning run that made it; null for a method that trains nothing. */
  readonly runId: string | null;
  readonly evaluations: readonly StepEvaluation[];
  readonly finishedAt: number;
}

/** Queue items for specs, in their order; a spec whose cell is already queued is left out (adding is idempotent). */
export async function itemsFor(specs: readonly RunSpec[], existing: readonly QueueItem[] = []): Promise<QueueItem[]> {
  const seen = new Set(existing.map((i) => i.id));
  const items: QueueItem[] = [];
  for (const spec of specs) {
    const id = cellId(spec);
    if (seen.has(id)) continue;
    seen.add(id);
    items.push({ id, key: await specKey(spec), spec, status: 'pending', force: false, runId: null });
  }
  return items;
}

function update(experiment: Experiment, id: string, change: (item: QueueItem) => QueueItem): Experiment {
  if (!experiment.items.some((i) => i.id === id)) throw new Error(`no queue item ${id}`);
  return { ...experiment, items: experiment.items.map((i) => (i.id === id ? change(i) : i)) };
}

/** Drops the message and the reused mark (a new attempt starts clean). */
function withoutNotes(item: QueueItem): QueueItem {
  const { message: _message, reused: _reused, ...rest } = item;
  return rest;
}

/**
 * After a reload: an item left running (its tab closed mid-run) goes back to pending, keeping its run id so that the
 * driver resumes that run from its latest checkpoint.
 */
export function recover(experiment: Experiment): Experiment {
  if (!experiment.items.some((i) => i.status === 'running')) return experiment;
  return {
    ...experiment,
    items: experiment.items.map((i) =>
      i.status === 'running' ? { ...i, status: 'pending', message: 'interrupted by a reload: resumes from its last checkpoint' } : i,
    ),
  };
}

/** The user cancels an item that has not finished (a running one is stopped by the driver first); others stay. */
export function cancelItem(experiment: Experiment, id: string): Experiment {
  return update(experiment, id, (i) => (i.status === 'pending' || i.status === 'running' ? { ...withoutNotes(i), status: 'cancelled' } : i));
}

/**
 * Puts an item back in the queue. `force`: compute it again even if a result with its key exists (the new result
 * replaces the old one when it finishes; until then the old one stays). Without force a finished key is reused.
 * A re-run starts a new tuning run (no resume).
 */
export function requeue(experiment: Experiment, id: string, options: { force: boolean }): Experiment {
  return update(experiment, id, (i) => (i.status === 'running' ? i : { ...withoutNotes(i), status: 'pending', force: options.force, runId: null }));
}

export function markRunning(experiment: Experiment, id: string): Experiment {
  return update(experiment, id, (i) => ({ ...i, status: 'running' }));
}

/** The run that computes the item got its id (recorded so a reload can resume it). */
export function markStarted(experiment: Experiment, id: string, runId: string): Experiment {
  return update(experiment, id, (i) => ({ ...i, runId }));
}

export function markDone(experiment: Experiment, id: string, runId: string | null, reused = false): Experiment {
  return update(experiment, id, (i) => ({ ...withoutNotes(i), status: 'done', force: false, runId, ...(reused ? { reused: true } : {}) }));
}

export function markFailed(experiment: Experiment, id: string, message: string): Experiment {
  return update(experiment, id, (i) => ({ ...i, status: 'failed', message }));
}

/** Back to pending, to resume `runId` from its latest checkpoint (a pause, a lost GPU). */
export function markInterrupted(experiment: Experiment, id: string, runId: string | null, message: string): Experiment {
  return update(experiment, id, (i) => ({ ...i, status: 'pending', runId, message }));
}

/** Items per status, for a summary line ("3 done, 1 failed, 8 pending"). */
export function countByStatus(experiment: Experiment): Record<ItemStatus, number> {
  const counts = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
  for (const item of experiment.items) counts[item.status]++;
  return counts;
}

/** A finished item with its result: what results.ts and compare.ts read. */
export interface FinishedRun {
  readonly item: QueueItem;
  readonly spec: RunSpec;
  readonly evaluations: readonly StepEvaluation[];
}

/** The done items joined with their results (an item whose result is gone is left out). */
export function finishedRuns(experiment: Experiment, results: ReadonlyMap<string, ExperimentResult>): FinishedRun[] {
  return experiment.items.flatMap((item) => {
    const result = item.status === 'done' ? results.get(item.key) : undefined;
    return result ? [{ item, spec: item.spec, evaluations: result.evaluations }] : [];
  });
}

/**
 * The finished runs with one per method and key: the cells of a method that share a result (ICL's, whatever the seed
 * or I_τ) are one run to plot, compare and export, as the tables count them once.
 */
export function distinctRuns(runs: readonly FinishedRun[]): FinishedRun[] {
  const seen = new Set<string>();
  return runs.filter((run) => {
    const id = JSON.stringify([run.spec.method, run.item.key]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
