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
