/**
 * Where a tuning run started by an experiment's queue says it belongs, in its stored settings (`experiment`), so the
 * Tuning tab's runs list can tell those runs from its own. Here, below the features, because both the experiments'
 * runner (which writes it) and the Tuning tab (which reads it) use it.
 */
export interface ExperimentRunTag {
  readonly experimentId: string;
  /** The queue item (fiat/experiments/spec.ts cellId). */
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
