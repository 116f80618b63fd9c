import { METHOD_IDS, methodById, type Method, type MethodId } from '../../../../fiat/experiments/methods.ts';
import type { RunSpec } from '../../../../fiat/experiments/spec.ts';

/** The catalogue's method of a spec; throws for an id the catalogue does not know (an older or newer studio's). */
export function methodOf(spec: RunSpec): Method {
  if (!(METHOD_IDS as readonly string[]).includes(spec.method)) throw new Error(`unknown method "${spec.method}"`);
  return methodById(spec.method as MethodId);
}

/** Whether the method reads ŷ_β at all: as an input (FIAT), a target (distilled CoT) or its answers (ICL). */
export function readsReasoning(method: Method): boolean {
  return method.reasoning !== 'none';
}

/** Where a run of an experiment says it belongs, in its stored settings (the Tuning tab's runs list tells them apart). */
export interface ExperimentRunTag {
  readonly experimentId: string;
  /** The queue item (spec.ts cellId). */
  readonly itemId: string;
  readonly method: string;
}

/** The tag of a stored run's settings, or null for a run started on the Tuning tab. */
export function experimentTagOf(settings: Readonly<Record<string, unknown>>): ExperimentRunTag | null {
  const tag = settings['experiment'] as Partial<ExperimentRunTag> | undefined;
  return typeof tag === 'object' && tag !== null && typeof tag.experimentId === 'string' && typeof tag.itemId === 'string' && typeof tag.method === 'string'
    ? { experimentId: tag.experimentId, itemId: tag.itemId, method: tag.method }
    : null;
}
