import type { RunOne, RunOneOutcome, StopReason } from '../../../../fiat/experiments/driver.ts';
import type { StepEvaluation } from '../../../../fiat/experiments/queue.ts';
import { cellId, type RunSpec } from '../../../../fiat/experiments/spec.ts';
import type { StoredRun } from '../../../../fiat/storage/tuning-repository.ts';
import type { RunStatus } from '../../../../fiat/tuning/run-controller.ts';
import type { RunRequest, StartResult } from '../../tuning/run-launcher.ts';
import type { RunEvaluation } from '../../tuning/run-store.ts';
import type { RunEnd } from './run-end.ts';
import type { RunInputs } from './run-inputs.ts';
import type { ExperimentRunTag } from '../../../lib/experiment-run-tag.ts';
import { methodOf } from './spec-method.ts';

/**
 * The queue driver's RunOne (fiat/experiments/driver.ts) through the Tuning tab's run launcher: builds the run's
 * request (run-inputs.ts), starts it (or resumes the stored run the driver names from its latest checkpoint), reports
 * its id at once, and waits for its end. The driver's stop reasons map to the launcher's: 'pause' pauses the run at a
 * checkpoint, 'cancel' cancels it. The run's stored settings carry the experiment's tag (lib/experiment-run-tag.ts).
 */
export interface RunOneDeps {
  readonly experimentId: string;
  readonly inputs: (spec: RunSpec, tag: ExperimentRunTag, signal: AbortSignal) => Promise<RunInputs>;
  readonly start: (request: RunRequest) => Promise<StartResult>;
  readonly pause: () => void;
  readonly cancel: () => void;
  /** The tuning repository's stored run (to resume). */
  readonly storedRun: (runId: string) => Promise<StoredRun | undefined>;
  readonly waitForEnd: (runId: string) => Promise<RunEnd>;
}

const ENDED = new Set<RunStatus>(['done', 'paused', 'cancelled', 'diverged', 'device-lost', 'failed']);

export function createRunOne(deps: RunOneDeps): RunOne {
  return async (spec, signal, context) => {
    const tag: ExperimentRunTag = { experimentId: deps.experimentId, itemId: cellId(spec), method: methodOf(spec).id };
    const inputs = await deps.inputs(spec, tag, signal);
    if (!inputs.ok) throw new Error(inputs.message);
    // A run that is gone (deleted from the runs list) cannot be resumed: a new one starts.
    const resume = context.resumeRunId === null ? undefined : await deps.storedRun(context.resumeRunId);
    signal.throwIfAborted();
    const started = await deps.start(resume ? { ...inputs.request, resume } : inputs.request);
    if (!started.ok) throw new Error(started.message);
    context.started(started.runId);
    const stop = () => ((signal.reason as StopReason) === 'cancel' ? deps.cancel() : deps.pause());
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    try {
      return outcomeOf(started.runId, await deps.waitForEnd(started.runId));
    } finally {
      signal.removeEventListener('abort', stop);
    }
  };
}

function outcomeOf(runId: string, end: RunEnd): RunOneOutcome {
  const evaluations = ownEvaluations(end.evaluations);
  if (!ENDED.has(end.status)) return { runId, status: 'failed', message: `the run stopped while ${end.status}`, evaluations };
  return { runId, status: end.status as RunOneOutcome['status'], ...(end.message === null ? {} : { message: end.message }), evaluations };
}

/** The run's own evaluations (not those made after it on the Evaluate section), by step, step 0 first. */
export function ownEvaluations(evaluations: readonly RunEvaluation[]): StepEvaluation[] {
  return evaluations.filter((e) => !e.tag).sort((a, b) => a.step - b.step).map((e) => ({ step: e.step, evaluation: e.evaluation }));
}
