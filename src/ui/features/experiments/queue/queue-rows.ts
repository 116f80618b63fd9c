import { METHODS } from '../../../../fiat/experiments/methods.ts';
import { countByStatus, type Experiment, type ItemStatus, type QueueItem } from '../../../../fiat/experiments/queue.ts';

/**
 * The queue list's words, as pure functions (QueueList.tsx, ExperimentPicker.tsx): the summary line, each item's name
 * (which its buttons' accessible names are built from), and what the user may do with an item.
 */

/** The summary's order: what happened, then what is still to come. */
const SUMMARY_ORDER: readonly ItemStatus[] = ['running', 'done', 'failed', 'cancelled', 'pending'];

/** "3 done, 1 failed, 8 pending" (statuses with no item left out); "no runs" for an empty queue. */
export function summaryLine(experiment: Experiment): string {
  const counts = countByStatus(experiment);
  const parts = SUMMARY_ORDER.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'no runs';
}

/** The paper's name of a method id; the id itself for one the catalogue no longer has (stored data outlives code). */
export function methodName(id: string): string {
  return METHODS.find((m) => m.id === id)?.paperName ?? id;
}

/**
 * Each item's name, unique within the experiment, by item id: "FIAT, I_τ current, size 16, seed 1". The model is
 * added ("…, seed 1, on owner/name@rev") only when the experiment has more than one; items that would still share a
 * name (two I_τ versions saved under one name) get " (2)", " (3)" in queue order.
 *
 * Accessible names of the list's controls are "<action> <item name>": "Cancel FIAT, I_τ current, size 16, seed 1",
 * "Re-run …", and "Run again …" + "…" (it opens a confirmation); e2e finds them with getByRole('button', { name }).
 */
export function itemNames(experiment: Experiment): Map<string, string> {
  const manyModels = new Set(experiment.items.map((i) => i.spec.model.label)).size > 1;
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const item of experiment.items) {
    const { spec } = item;
    const base = `${methodName(spec.method)}, I_τ ${spec.tau.label}, size ${spec.size}, seed ${spec.seed}${manyModels ? `, on ${spec.model.label}` : ''}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
    used.add(name);
    names.set(item.id, name);
  }
  return names;
}

/** What the user may do with an item: stop it, queue it again, or compute a finished one again (replacing its result). */
export type ItemAction = 'cancel' | 'rerun' | 'run-again';

export function itemAction(item: QueueItem): ItemAction {
  switch (item.status) {
    case 'pending':
    case 'running':
      return 'cancel';
    case 'failed':
    case 'cancelled':
      return 'rerun';
    case 'done':
      return 'run-again';
  }
}

export const ACTION_LABELS: Record<ItemAction, string> = { cancel: 'Cancel', rerun: 'Re-run', 'run-again': 'Run again' };

/** The status as the list shows it: "done (reused)" for a result taken from an earlier identical run. */
export function statusText(item: QueueItem): string {
  return item.status === 'done' && item.reused ? 'done (reused)' : item.status;
}
