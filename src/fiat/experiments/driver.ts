import type { RunOutcome } from '../tuning/run-controller.ts';
import type { Evaluation } from '../tuning/evaluate.ts';
import {
  cancelItem,
  markDone,
  markFailed,
  markInterrupted,
  markRunning,
  markStarted,
  requeue,
  type Experiment,
  type ExperimentResult,
  type QueueItem,
  type StepEvaluation,
} from './queue.ts';
import { nextAction, type Preflight } from './schedule.ts';
import type { RunSpec } from './spec.ts';

/**
 * Runs an experiment's queue, one item at a time, through injected functions: `runOne` trains and evaluates one spec
 * (the studio passes its run launcher; tests a fake), `answerWithoutTraining` gives the predictions of a method that
 * trains nothing (ICL: θ_β's cached parsed answers, scored by fiat/metrics). Every transition is saved before the next
 * step, so a reload finds the queue where it stopped (queue.ts `recover`). A result is saved before its item is marked
 * done, and never removed by a later failure.
 *
 * Stopping: `pause()` stops the run in flight at a checkpoint (its item goes back to pending with the run to resume)
 * and then the queue; `cancel(id)` cancels one item (the running one is stopped, its run cancelled) and the queue goes
 * on. `runOne` learns which from its signal's reason (`StopReason`). A lost GPU stops the queue with the item pending
 * (resume it on a new device); a diverged or failed run fails its item and the queue goes on.
 *
 * Waiting: an item that needs something only the user can give (`waitFor`: the model it tunes loaded, as the run
 * without an instruction-tuned base tunes another checkpoint than the grid's) stays pending; the queue goes on with the
 * others, then stops ('waiting') with the reason, and a later run (Resume, once it is given) starts it.
 */

export type StopReason = 'pause' | 'cancel';

export interface RunOneContext {
  /** A run of this item that a pause or reload interrupted: resume it from its latest checkpoint (null: start one). */
  readonly resumeRunId: string | null;
  /** Call as soon as the run has its id, so that a reload can resume it. */
  readonly started: (runId: string) => void;
}

export interface RunOneOutcome {
  readonly runId: string;
  readonly status: RunOutcome['status'];
  readonly message?: string;
  /** Its evaluations so far, by step (step 0 first, the last one the final). */
  readonly evaluations: readonly StepEvaluation[];
}

export type RunOne = (spec: RunSpec, signal: AbortSignal, context: RunOneContext) => Promise<RunOneOutcome>;
export type AnswerWithoutTraining = (spec: RunSpec, signal: AbortSignal) => Promise<Evaluation>;

export interface QueueStore {
  saveExperiment(experiment: Experiment): Promise<void>;
  /** Which of these keys have a stored result. */
  finishedKeys(keys: readonly string[]): Promise<Set<string>>;
  getResult(key: string): Promise<ExperimentResult | undefined>;
  saveResult(result: ExperimentResult): Promise<void>;
}

export interface DriverDeps {
  readonly store: QueueStore;
  readonly runOne: RunOne;
  readonly answerWithoutTraining: AnswerWithoutTraining;
  /** Checked before an item starts (missing model or reasoning, memory); a reason fails the item with it. */
  readonly preflight?: Preflight;
  /** Checked first: a reason (load the model it tunes) keeps the item pending, and the queue ends 'waiting' for it. */
  readonly waitFor?: Preflight;
  readonly onChange?: (experiment: Experiment) => void;
  readonly now?: () => number;
}

export type DriverEnd =
  | { readonly status: 'finished' }
  | { readonly status: 'paused' }
  /** The GPU went away during `itemId`: it is pending, to resume on a new device. */
  | { readonly status: 'device-lost'; readonly itemId: string; readonly message: string }
  /** Everything else done, these pending items wait for what `message` (the first one's reason) asks of the user. */
  | { readonly status: 'waiting'; readonly itemIds: readonly string[]; readonly message: string };

export class QueueDriver {
  private state: Experiment;
  private pausing = false;
  private current: { readonly id: string; readonly controller: AbortController } | null = null;

  constructor(
    experiment: Experiment,
    private readonly deps: DriverDeps,
  ) {
    this.state = experiment;
  }

  get experiment(): Experiment {
    return this.state;
  }

  pause(): void {
    this.pausing = true;
    this.current?.controller.abort('pause' satisfies StopReason);
  }

  /** Cancels a pending or running item (the running one's run is cancelled); the queue goes on. */
  async cancel(id: string): Promise<void> {
    if (this.current?.id === id) {
      this.current.controller.abort('cancel' satisfies StopReason);
      return;
    }
    await this.commit(cancelItem(this.state, id));
  }

  /**
   * Puts a finished, failed or cancelled item back in the queue while it runs (queue.ts requeue): the queue reaches it
   * in its order. The running item is left alone.
   */
  async requeue(id: string, options: { force: boolean }): Promise<void> {
    if (this.current?.id === id) return;
    await this.commit(requeue(this.state, id, options));
  }

  /** Runs pending items until none is left, a pause, or a lost GPU. Rejects only when the store fails. */
  async run(): Promise<DriverEnd> {
    const finished = await this.deps.store.finishedKeys([...new Set(this.state.items.map((i) => i.key))]);
    const waiting = new Map<string, string>();
    for (;;) {
      if (this.pausing) return { status: 'paused' };
      const action = nextAction(this.state, finished, new Set(waiting.keys()));
      if (action.kind === 'idle') return this.idle(waiting);
      const { item } = action;
      if (action.kind === 'reuse') {
        const result = await this.deps.store.getResult(item.key);
        // A result that has gone (or no longer reads) is computed again.
        if (result) await this.commit(markDone(this.state, item.id, result.runId, true));
        else finished.delete(item.key);
        continue;
      }
      const wait = await this.check(item, this.deps.waitFor);
      if (wait !== null) {
        waiting.set(item.id, wait);
        continue;
      }
      const reason = await this.check(item, this.deps.preflight);
      // The user may have paused the queue or cancelled this item while it was checked.
      if (this.pausing) return { status: 'paused' };
      if (this.state.items.find((i) => i.id === item.id)?.status !== 'pending') continue;
      if (reason !== null) {
        await this.commit(markFailed(this.state, item.id, `cannot start: ${reason}`));
        continue;
      }
      const end = action.kind === 'answer' ? await this.answer(item) : await this.train(item);
      if (end === 'done') finished.add(item.key);
      else if (end !== 'next') return end;
    }
  }

  /** Finished, or waiting for the items still pending that wait (those cancelled meanwhile no longer count). */
  private idle(waiting: ReadonlyMap<string, string>): DriverEnd {
    const still = [...waiting].filter(([id]) => this.state.items.find((i) => i.id === id)?.status === 'pending');
    const first = still[0];
    return first ? { status: 'waiting', itemIds: still.map(([id]) => id), message: first[1] } : { status: 'finished' };
  }

  /** A check's reason, if any; a check that fails is a reason too (the estimate could not be made). */
  private async check(item: QueueItem, check: Preflight | undefined): Promise<string | null> {
    if (!check) return null;
    try {
      return await check(item.spec);
    } catch (error) {
      return messageOf(error);
    }
  }

  private async answer(item: QueueItem): Promise<'done' | 'next' | DriverEnd> {
    const controller = await this.begin(item);
    try {
      const evaluation = await this.deps.answerWithoutTraining(item.spec, controller.signal);
      return await this.finish(item, null, [{ step: 0, evaluation }]);
    } catch (error) {
      return await this.stopped(item, null, controller.signal, { kind: 'error', message: messageOf(error) });
    } finally {
      this.current = null;
    }
  }

  private async train(item: QueueItem): Promise<'done' | 'next' | DriverEnd> {
    const controller = await this.begin(item);
    const resumeRunId = item.runId;
    let runId = resumeRunId;
    const started = (id: string) => {
      runId = id;
      // A save that fails here is made good by the next transition's save (the state already holds the id).
      this.commit(markStarted(this.state, item.id, id)).catch(() => undefined);
    };
    try {
      const outcome = await this.deps.runOne(item.spec, controller.signal, { resumeRunId, started });
      runId = outcome.runId;
      switch (outcome.status) {
        case 'done':
          if (outcome.evaluations.length === 0) {
            await this.commit(markFailed(this.state, item.id, 'the run finished without an evaluation'));
            return 'next';
          }
          return await this.finish(item, runId, outcome.evaluations);
        case 'diverged':
          await this.commit(markFailed(this.state, item.id, `diverged: ${outcome.message ?? 'a loss was NaN or infinite'}`));
          return 'next';
        case 'failed':
          await this.commit(markFailed(this.state, item.id, outcome.message ?? 'the run failed'));
          return 'next';
        case 'device-lost': {
          const message = outcome.message ?? 'the GPU device was lost';
          await this.commit(markInterrupted(this.state, item.id, runId, message));
          return { status: 'device-lost', itemId: item.id, message };
        }
        case 'paused':
        case 'cancelled':
          return await this.stopped(item, runId, controller.signal, { kind: outcome.status });
      }
    } catch (error) {
      return await this.stopped(item, runId, controller.signal, { kind: 'error', message: messageOf(error) });
    } finally {
      this.current = null;
    }
  }

  private async begin(item: QueueItem): Promise<AbortController> {
    const controller = new AbortController();
    this.current = { id: item.id, controller };
    await this.commit(markRunning(this.state, item.id));
    return controller;
  }

  private async finish(item: QueueItem, runId: string | null, evaluations: readonly StepEvaluation[]): Promise<'done'> {
    const finishedAt = (this.deps.now ?? Date.now)();
    await this.deps.store.saveResult({ key: item.key, taskId: this.state.taskId, runId, evaluations, finishedAt });
    await this.commit(markDone(this.state, item.id, runId));
    return 'done';
  }

  /**
   * An item that ended without a result. Our pause: back to pending with its run (resumable), and the queue stops.
   * Our cancel, or a run paused or cancelled from elsewhere (the run view): paused goes back to pending and stops the
   * queue, cancelled cancels the item. Anything else: failed with the message.
   */
  private async stopped(item: QueueItem, runId: string | null, signal: AbortSignal, how: Ended): Promise<'next' | DriverEnd> {
    const reason = signal.aborted ? (signal.reason as StopReason) : null;
    if (reason === 'pause' || (reason === null && how.kind === 'paused')) {
      this.pausing = true;
      await this.commit(markInterrupted(this.state, item.id, runId, 'paused: resumes from its last checkpoint'));
      return { status: 'paused' };
    }
    if (reason === 'cancel' || how.kind !== 'error') {
      await this.commit(cancelItem(this.state, item.id));
      return 'next';
    }
    await this.commit(markFailed(this.state, item.id, how.message));
    return 'next';
  }

  private async commit(next: Experiment): Promise<void> {
    this.state = next;
    await this.deps.store.saveExperiment(next);
    this.deps.onChange?.(next);
  }
}

/** How an item's work ended without a result. */
type Ended = { readonly kind: 'paused' } | { readonly kind: 'cancelled' } | { readonly kind: 'error'; readonly message: string };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
