import type { AgreementStatus, ExampleAgreement } from './agreement.ts';

export interface TrainingFilterOptions {
  /**
   * Train only on examples whose reasoning agrees with gold. Off by default, as in the paper:
   * FIAT trains on every example and lets θ_τ learn how far to trust ŷ_β.
   */
  onlyAgreeing: boolean;
}

export const DEFAULT_TRAINING_FILTER: Readonly<TrainingFilterOptions> = Object.freeze({ onlyAgreeing: false });

export interface TrainingSelection<T> {
  selected: T[];
  /** Examples left out, with the agreement status that left them out. */
  excluded: { exampleId: string; status: AgreementStatus }[];
}

/** Which examples go into tuning θ_τ. Pure; keeps the examples' order. */
export function selectTrainingExamples<T>(
  examples: readonly T[],
  idOf: (example: T) => string,
  agreements: ReadonlyMap<string, ExampleAgreement>,
  options: TrainingFilterOptions = DEFAULT_TRAINING_FILTER,
): TrainingSelection<T> {
  if (!options.onlyAgreeing) return { selected: [...examples], excluded: [] };
  const selected: T[] = [];
  const excluded: TrainingSelection<T>['excluded'] = [];
  for (const example of examples) {
    const exampleId = idOf(example);
    const status = agreements.get(exampleId)?.status ?? 'missing';
    if (status === 'agrees') selected.push(example);
    else excluded.push({ exampleId, status });
  }
  return { selected, excluded };
}
