import type { MemoryEstimate } from '../../engine/engine.ts';
import type { Experiment, QueueItem } from './queue.ts';
import { missingInputs, type RunSpec } from './spec.ts';

/**
 * What the queue does next, and which runs cannot start, as pure functions of the queue (the driver acts on them).
 * Order: the first pending item in queue order. A pending item whose key already has a result (and no force) is
 * completed from it without running; a method that trains nothing is answered without training.
 */

export type NextAction =
  | { readonly kind: 'reuse'; readonly item: QueueItem }
  | { readonly kind: 'answer'; readonly item: QueueItem }
  | { readonly kind: 'train'; readonly item: QueueItem }
  | { readonly kind: 'idle' };

/** `skip`: pending items passed over for now (the driver's waiting ones). */
export function nextAction(experiment: Experiment, finishedKeys: ReadonlySet<string>, skip: ReadonlySet<string> = new Set()): NextAction {
  const item = experiment.items.find((i) => i.status === 'pending' && !skip.has(i.id));
  if (!item) return { kind: 'idle' };
  if (!item.force && finishedKeys.has(item.key)) return { kind: 'reuse', item };
  return { kind: item.spec.trains ? 'train' : 'answer', item };
}

/** Why a run cannot start, said before it starts; null when it can. */
export type Preflight = (spec: RunSpec) => Promise<string | null>;

export interface Blocked {
  readonly itemId: string;
  readonly method: string;
  readonly model: string;
  readonly reason: string;
}

/**
 * The memory check as a preflight: `estimate` is the engine's estimate for the spec's shapes (training methods only;
 * the full-weights ablation's estimate is the caller's to make for all weights). A run that does not fit says so with
 * the estimate's advice.
 */
export function memoryPreflight(estimate: (spec: RunSpec) => Promise<Pick<MemoryEstimate, 'fits' | 'peakBytes' | 'advice' | 'budgetBytes'>>): Preflight {
  return async (spec) => {
    if (!spec.trains || spec.tunedModel === null) return null;
    const memory = await estimate(spec);
    if (memory.fits) return null;
    const need = `needs about ${mib(memory.peakBytes)}${memory.budgetBytes === null ? '' : ` of a ${mib(memory.budgetBytes)} budget`}`;
    const advice = memory.advice.length > 0 ? `; ${memory.advice.join('; ')}` : '';
    return `does not fit in this device's GPU memory: ${need}${advice}`;
  };
}

/** Missing inputs first (spec.ts `missingInputs`), then each extra check in order; the first reason found wins. */
export function combinePreflights(...checks: readonly Preflight[]): Preflight {
  return async (spec) => {
    const missing = missingInputs(spec);
    if (missing !== null) return missing;
    for (const check of checks) {
      const reason = await check(spec);
      if (reason !== null) return reason;
    }
    return null;
  };
}

/** Every pending item that cannot start and why, for the UI to show before the queue runs. Finished keys need no check. */
export async function blockedItems(experiment: Experiment, finishedKeys: ReadonlySet<string>, preflight: Preflight): Promise<Blocked[]> {
  const blocked: Blocked[] = [];
  for (const item of experiment.items) {
    if (item.status !== 'pending' || (!item.force && finishedKeys.has(item.key))) continue;
    const reason = await preflight(item.spec);
    if (reason !== null) blocked.push({ itemId: item.id, method: item.spec.method, model: item.spec.model.label, reason });
  }
  return blocked;
}

function mib(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)} MiB`;
}
