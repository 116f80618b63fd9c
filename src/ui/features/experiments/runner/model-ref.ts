import type { ModelInfo } from '../../../../engine/engine.ts';
import type { ModelRef } from '../../../../fiat/experiments/spec.ts';

/**
 * The loaded small model as an experiment names it (spec.ts ModelRef): its Hub repo and revision as an adapter names
 * its base. A model without a revision (the bundled demo, local files) is named by its name alone, so two local
 * folders of the same name share results: the label says which one the user loaded.
 */
export const UNVERSIONED = 'unversioned';

export function modelRefOf(info: ModelInfo): ModelRef {
  return { repo: info.base.name, revision: info.base.revision ?? UNVERSIONED, label: info.label };
}

export function sameModel(a: ModelRef, b: ModelRef): boolean {
  return a.repo === b.repo && a.revision === b.revision;
}
