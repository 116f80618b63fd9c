import type { RunStatus } from '../../../../fiat/tuning/run-controller.ts';
import { tuningRepository } from '../../../lib/tuning-repository.ts';
import { isRunning } from '../../tuning/run-launcher.ts';
import { runEvaluationsOf, useRunStore, type RunEvaluation } from '../../tuning/run-store.ts';

/** How a launched run ended: its last status and message, and its evaluations (the run's own and any tagged ones). */
export interface RunEnd {
  readonly status: RunStatus;
  readonly message: string | null;
  readonly evaluations: readonly RunEvaluation[];
}

/**
 * Resolves when the run launcher's run `runId` has ended: the run store's live run goes inactive, or the launcher
 * holds no run any more (the Tuning tab may have put another run in the store meanwhile; then the stored record,
 * saved as the run ended, says how it ended).
 */
export function waitForRunEnd(runId: string): Promise<RunEnd> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      if (done) return;
      const run = useRunStore.getState().run;
      const mine = run?.runId === runId ? run : null;
      if (mine ? mine.active : isRunning()) return;
      done = true;
      unsubscribe();
      if (mine) resolve({ status: mine.status, message: mine.message, evaluations: mine.evaluations });
      else storedEnd(runId).then(resolve, reject);
    };
    const unsubscribe = useRunStore.subscribe(check);
    check();
  });
}

async function storedEnd(runId: string): Promise<RunEnd> {
  const stored = await tuningRepository.getRun(runId);
  if (!stored) throw new Error('the run ended and its record is gone');
  return { status: stored.status, message: stored.message ?? null, evaluations: runEvaluationsOf(stored) };
}
