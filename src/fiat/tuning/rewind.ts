import type { StoredRun } from '../storage/tuning-repository.ts';

/**
 * A stopped run's record as it resumes from a checkpoint at `step` (0: from the start): the losses and evaluations
 * after that step go, since the resumed run makes them again (the same steps on the same data order, so the same
 * values), and its curves then hold each step once. A pause leaves none after its checkpoint; a lost device, a
 * reload mid-run or a crash do.
 */
export function rewindRun(run: StoredRun, step: number, now: number): StoredRun {
  return {
    ...run,
    updatedAt: now,
    step,
    losses: run.losses.filter((l) => l.step <= step),
    evaluations: run.evaluations.filter((e) => e.step <= step),
  };
}
