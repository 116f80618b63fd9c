import type { Engine, LrSchedule, TrainExample, TrainingCheckpoint, TrainingSetup, TrainProgress } from '../../engine/engine.ts';
import { EngineError } from '../../engine/errors.ts';

/**
 * One LoRA tuning run of the small model, driven through the Engine (the studio's worker engine, or the in-thread one in
 * tests): train in segments, evaluate at step 0 and every `evalEvery` steps, checkpoint every `checkpointEvery` steps
 * and on pause, and stop cleanly on whatever ends a run early. Pure orchestration: where checkpoints are kept and what
 * an evaluation computes are the caller's (`CheckpointStore`, `evaluate`), so it is tested with a fake engine as well as
 * the real one.
 *
 * Resuming: `start(checkpoint)` prepares the setup from the checkpoint (adapter, AdamW moments, step), and the engine
 * continues the data order and the learning rate of the run's absolute steps, so a resumed run's losses equal an
 * uninterrupted run's (engine/README.md).
 * Ends: 'done'; 'paused' (pause(): the segment stops between steps, a checkpoint of where it stopped is saved);
 * 'cancelled' (cancel(): nothing saved); 'diverged' (a NaN or infinite loss at step B: nothing after it is saved, and
 * the checkpoints from step B - 1 on are dropped, since the loss of step B is computed with the weights of step B - 1:
 * the latest checkpoint left is the last good one, and the message names it); 'device-lost' (the GPU went away with
 * the state on it: the run pauses at its last checkpoint, the message names the step reached and that checkpoint's
 * step, and it resumes from there on a new device); 'failed' (anything else, with its message).
 */

export interface RunPlan {
  readonly setup: TrainingSetup;
  readonly totalSteps: number;
  readonly lr: number | LrSchedule;
  /** Seed of the data order (kept across segments and resumes). */
  readonly seed: number;
  /** Evaluate every this many steps (and at step 0 and the last step); 0: only at step 0 and the end. */
  readonly evalEvery: number;
  /** Save a checkpoint every this many steps (and at the end); 0: only on pause and at the end. */
  readonly checkpointEvery: number;
}

export type RunStatus = 'preparing' | 'running' | 'evaluating' | 'paused' | 'done' | 'cancelled' | 'diverged' | 'device-lost' | 'failed';

export type RunEvent<E> =
  | { readonly type: 'status'; readonly status: RunStatus; readonly message?: string }
  | { readonly type: 'step'; readonly progress: TrainProgress }
  | { readonly type: 'evaluation'; readonly step: number; readonly result: E }
  | { readonly type: 'checkpoint'; readonly step: number };

export interface CheckpointStore {
  save(checkpoint: TrainingCheckpoint): Promise<void>;
  /** Drops the run's checkpoints at `step` and after; resolves with the step of the latest one left, null if none. */
  discardFrom(step: number): Promise<number | null>;
}

export interface RunDeps<E> {
  readonly engine: Pick<Engine, 'prepareTraining' | 'train' | 'readCheckpoint'>;
  readonly examples: readonly TrainExample[];
  /** The run's evaluation at a step (predictions and metrics on the validation examples), through the same engine. */
  readonly evaluate: (step: number, signal: AbortSignal) => Promise<E>;
  readonly checkpoints: CheckpointStore;
  readonly onEvent: (event: RunEvent<E>) => void;
}

export interface RunOutcome {
  readonly status: Extract<RunStatus, 'done' | 'paused' | 'cancelled' | 'diverged' | 'device-lost' | 'failed'>;
  /**
   * Optimizer steps done (for 'diverged' and 'device-lost' not all kept: the state after the last checkpoint is gone or
   * bad, and the run resumes from that checkpoint).
   */
  readonly step: number;
  readonly message?: string;
  /** 'diverged': the step of the last good checkpoint, the one left to resume from; null when none is left. */
  readonly checkpointStep?: number | null;
}

/** The next step at which a segment must end: an evaluation, a checkpoint or the end. */
export function nextStop(step: number, plan: Pick<RunPlan, 'totalSteps' | 'evalEvery' | 'checkpointEvery'>): number {
  const next = (every: number) => (every > 0 ? (Math.floor(step / every) + 1) * every : Infinity);
  return Math.min(plan.totalSteps, next(plan.evalEvery), next(plan.checkpointEvery));
}

export function checkPlan(plan: RunPlan): void {
  const whole = (value: number, field: string, least: number) => {
    if (!Number.isInteger(value) || value < least) throw new EngineError('usage', `${field} must be a whole number >= ${least}, not ${value}`);
  };
  whole(plan.totalSteps, 'steps', 1);
  whole(plan.evalEvery, 'evaluate every', 0);
  whole(plan.checkpointEvery, 'checkpoint every', 0);
}

export class TuningRunController<E> {
  private readonly controller = new AbortController();
  private stopping: 'pause' | 'cancel' | null = null;
  /** The step of the last checkpoint saved or resumed from; null before the first. */
  private checkpointStep: number | null = null;

  constructor(
    private readonly plan: RunPlan,
    private readonly deps: RunDeps<E>,
  ) {
    checkPlan(plan);
  }

  /** Stops after the step in flight and saves a checkpoint there. */
  pause(): void {
    this.stopping ??= 'pause';
    this.controller.abort();
  }

  /** Stops after the step in flight; nothing is saved. */
  cancel(): void {
    this.stopping = 'cancel';
    this.controller.abort();
  }

  private status(status: RunStatus, message?: string): void {
    this.deps.onEvent(message === undefined ? { type: 'status', status } : { type: 'status', status, message });
  }

  private async checkpoint(): Promise<number> {
    const checkpoint = await this.deps.engine.readCheckpoint();
    await this.deps.checkpoints.save(checkpoint);
    this.checkpointStep = checkpoint.step;
    this.deps.onEvent({ type: 'checkpoint', step: checkpoint.step });
    return checkpoint.step;
  }

  private async evaluate(step: number): Promise<void> {
    this.status('evaluating');
    const result = await this.deps.evaluate(step, this.controller.signal);
    this.deps.onEvent({ type: 'evaluation', step, result });
  }

  /** Runs (or resumes from `from`) until the end, a pause, a cancel or a failure; never throws. */
  async start(from?: TrainingCheckpoint): Promise<RunOutcome> {
    const { plan, deps } = this;
    let step = from?.step ?? 0;
    // The latest step whose loss came back finite, so a divergence knows the first bad step (losses come in order).
    let finite = step;
    if (from) this.checkpointStep = from.step;
    try {
      this.status('preparing');
      const info = await deps.engine.prepareTraining(from ? { ...plan.setup, checkpoint: from } : plan.setup, { signal: this.controller.signal });
      step = info.step;
      finite = step;
      if (step === 0) await this.evaluate(0);
      while (step < plan.totalSteps) {
        if (this.controller.signal.aborted) break;
        const stop = nextStop(step, plan);
        this.status('running');
        const result = await deps.engine.train(
          { examples: deps.examples, steps: stop - step, lr: plan.lr, totalSteps: plan.totalSteps, seed: plan.seed },
          {
            signal: this.controller.signal,
            onProgress: (progress) => {
              finite = progress.step;
              step = progress.step;
              deps.onEvent({ type: 'step', progress });
            },
          },
        );
        step = result.step;
        const last = step === plan.totalSteps;
        if (last || (plan.checkpointEvery > 0 && step % plan.checkpointEvery === 0)) await this.checkpoint();
        if (last || (plan.evalEvery > 0 && step % plan.evalEvery === 0)) await this.evaluate(step);
      }
      if (step >= plan.totalSteps) return this.end({ status: 'done', step });
      return await this.stopped(step);
    } catch (error) {
      const e = error instanceof EngineError ? error : null;
      if (e?.kind === 'cancelled' && this.stopping !== null) return await this.stopped(step);
      if (e?.kind === 'diverged') return await this.diverged(e.message, finite);
      if (e?.kind === 'device-lost') return this.end({ status: 'device-lost', step, message: deviceLostMessage(step, this.checkpointStep) });
      return this.end({ status: 'failed', step, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * After a NaN or infinite loss at step `finite` + 1: that loss was computed with the weights of step `finite`, so its
   * checkpoint (if saved) is not good; the one before is. Resuming with the same settings would diverge again, so the
   * message says to lower the learning rate.
   */
  private async diverged(engineMessage: string, finite: number): Promise<RunOutcome> {
    let kept: number | null;
    try {
      kept = await this.deps.checkpoints.discardFrom(finite);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return this.end({ status: 'diverged', step: finite, message: `${engineMessage}. Its bad checkpoint could not be dropped (${why}): lower the learning rate and start a new run.`, checkpointStep: null });
    }
    const where =
      kept === null
        ? `No good checkpoint is left (the weights after step ${finite} gave that loss).`
        : `The run stopped at its last good checkpoint, step ${kept} (the weights after step ${finite} gave that loss).`;
    return this.end({ status: 'diverged', step: finite, message: `${engineMessage}. ${where} The same settings would diverge again: lower the learning rate and start a new run.`, checkpointStep: kept });
  }

  /** After a pause or cancel: a pause saves where the steps stopped. */
  private async stopped(step: number): Promise<RunOutcome> {
    if (this.stopping === 'pause') {
      const at = await this.checkpoint();
      return this.end({ status: 'paused', step: at });
    }
    return this.end({ status: 'cancelled', step });
  }

  private end(outcome: RunOutcome): RunOutcome {
    this.status(outcome.status, outcome.message);
    return outcome;
  }
}

/**
 * What a run lost with its GPU device says: the step it had reached (its curve's last point) and the checkpoint it
 * resumes from, or, before any checkpoint, that a resume starts it again.
 */
export function deviceLostMessage(step: number, checkpointStep: number | null): string {
  return checkpointStep === null
    ? `The GPU device was lost at step ${step}, before the run's first checkpoint; resuming starts it again from step 0.`
    : `The GPU device was lost at step ${step}; the run paused at its last checkpoint (step ${checkpointStep}).`;
}
