import type { ModelInfo, TrainExample, TrainingCheckpoint } from '../../../engine/engine.ts';
import { sha256Hex } from '../../../fiat/reasoning/cache-key.ts';
import type { StoredRun } from '../../../fiat/storage/tuning-repository.ts';
import { evaluateExamples, type EvaluationExample } from '../../../fiat/tuning/evaluate.ts';
import { TuningRunController, type RunEvent, type RunPlan } from '../../../fiat/tuning/run-controller.ts';
import { withTuningLock, type LockManagerLike } from '../../../fiat/tuning/run-lock.ts';
import { rewindRun } from '../../../fiat/tuning/rewind.ts';
import type { Evaluation } from '../../../fiat/tuning/evaluate.ts';
import type { TaskSpec } from '../../../fiat/task/task.ts';
import { newId } from '../../lib/ids.ts';
import { queryClient } from '../../lib/query-client.ts';
import { smallModelStore, tuningEngine, tuningEngineRecovered } from '../../lib/tuning-engine.ts';
import { tuningRepository } from '../../lib/tuning-repository.ts';
import { invalidateRuns } from './runs-queries.ts';
import { runEvaluationsOf, storedEvaluationsOf, useRunStore } from './run-store.ts';

/**
 * Runs one tuning run at a time for the studio, outside React (a run goes on while the user switches tabs), through
 * the tuning engine (the small model's worker), and reports into the run store. Its record and checkpoints go to
 * IndexedDB as it goes (the record every few seconds and at every evaluation and status; checkpoints as the controller
 * saves them), so a reload finds it and can resume it from its last checkpoint. One tab at a time owns a run (a Web
 * Lock): a second tab is told a run is active.
 */
export interface RunRequest {
  readonly taskId: string;
  readonly spec: TaskSpec;
  readonly model: ModelInfo;
  readonly plan: RunPlan;
  /** The training pairs as the engine gets them (after the passage cuts and the chat template). */
  readonly examples: readonly TrainExample[];
  /** The validation examples' prompts, formatted as the training prompts. */
  readonly validation: readonly EvaluationExample[];
  /** Classification: the label completions as training formats them. */
  readonly labelCompletions?: readonly string[];
  /** The I_τ text the run was made with (its version: a hash is stored). */
  readonly tau: string;
  /** Everything the user chose, as stored with the run. */
  readonly settings: Record<string, unknown>;
  /** Resume this stored run from its latest checkpoint instead of starting a new one. */
  readonly resume?: StoredRun;
}

let running: TuningRunController<Evaluation> | null = null;

/** The hash that says whether a resumed run trains on the same data (pairs in order). */
export function dataHashOf(examples: readonly TrainExample[]): Promise<string> {
  return sha256Hex(JSON.stringify(examples));
}

/** Saves the run's record at most this often while steps come in (evaluations and status changes save at once). */
const SAVE_MS = 3000;

function locks(): LockManagerLike | null {
  return typeof navigator !== 'undefined' && 'locks' in navigator ? (navigator.locks) : null;
}

/** Started: the run's id (a new run's, or the resumed one's). */
export type StartResult = { readonly ok: true; readonly runId: string } | { readonly ok: false; readonly message: string };

export async function startRun(request: RunRequest): Promise<StartResult> {
  if (running) return { ok: false, message: 'A run is already going in this tab.' };
  const repo = tuningRepository;
  const dataHash = await dataHashOf(request.examples);
  let checkpoint: TrainingCheckpoint | undefined;
  if (request.resume) {
    if (request.resume.dataHash !== dataHash) {
      return { ok: false, message: 'The training set has changed since this run (I_τ, reasoning, options or the cut): start a new run instead.' };
    }
    if (request.resume.model.label !== request.model.label) return { ok: false, message: `This run tunes ${request.resume.model.label}; load that model to resume it.` };
    checkpoint = await repo.latestCheckpoint(request.resume.id);
    // Without a checkpoint the run starts again from step 0, unless it began from an imported adapter (the stored plan
    // leaves the adapter's bytes out, so its start cannot be made again).
    if (!checkpoint && request.resume.settings['startedFromImportedAdapter'] === true) return { ok: false, message: 'This run has no checkpoint to resume from.' };
    // After a lost GPU device the tuning engine is replaced (a new worker, the model loaded again): resume on it.
    await tuningEngineRecovered();
    if (smallModelStore.getState().info?.label !== request.model.label) {
      return { ok: false, message: `${request.model.label} did not load again on the new GPU device: load it above, then resume.` };
    }
  }
  const now = Date.now();
  let record: StoredRun = request.resume
    ? rewindRun(request.resume, checkpoint?.step ?? 0, now)
    : {
        id: newId(),
        taskId: request.taskId,
        createdAt: now,
        updatedAt: now,
        // The Hub repo and revision it tunes (null for a local folder or the bundled demo model, named by its label).
        model: { label: request.model.label, repo: request.model.source === 'hub' ? request.model.base.name : null, revision: request.model.base.revision },
        settings: request.settings,
        tauVersion: await sha256Hex(request.tau),
        dataHash,
        status: 'preparing',
        step: 0,
        totalSteps: request.plan.totalSteps,
        losses: [],
        evaluations: [],
      };
  const store = useRunStore.getState();
  store.setRun({
    runId: record.id,
    taskId: record.taskId,
    status: 'preparing',
    message: null,
    totalSteps: record.totalSteps,
    modelLabel: record.model.label,
    ep: request.plan.setup.ep,
    threads: request.plan.setup.wasmThreads ?? null,
    losses: record.losses,
    samples: [],
    evaluations: runEvaluationsOf(record),
    evaluating: null,
    active: true,
    ...(request.plan.setup.allWeights === true ? { allWeights: true } : {}),
  });
  let lastSave = 0;
  const save = async (force: boolean) => {
    if (!force && Date.now() - lastSave < SAVE_MS) return;
    lastSave = Date.now();
    const run = useRunStore.getState().run;
    if (!run || run.runId !== record.id) return;
    record = {
      ...record,
      updatedAt: Date.now(),
      status: run.status,
      ...(run.message ? { message: run.message } : {}),
      step: run.losses.at(-1)?.step ?? record.step,
      losses: [...run.losses],
      evaluations: storedEvaluationsOf(run.evaluations),
    };
    await repo.saveRun(record).catch(() => undefined);
    // The runs list shows the record as it is now (status, step, metrics).
    if (force) await invalidateRuns(queryClient);
  };
  const engine = tuningEngine();
  const onEvent = (event: RunEvent<Evaluation>) => {
    const { update } = useRunStore.getState();
    if (event.type === 'step') {
      const p = event.progress;
      update((run) => ({ losses: [...run.losses, { step: p.step, loss: p.loss }], samples: [...run.samples, { step: p.step, tokens: p.tokens, positions: p.positions, elapsedMs: p.elapsedMs }] }));
      void save(false);
    } else if (event.type === 'evaluation') {
      // Replaces the run's own evaluation at this step (a resumed run evaluates its step again); those made after it stay.
      update((run) => ({ evaluations: [...run.evaluations.filter((e) => e.tag || e.step !== event.step), { step: event.step, evaluation: event.result }], evaluating: null }));
      void save(true);
    } else if (event.type === 'status') {
      update({ status: event.status, message: event.message ?? null });
      void save(true);
    }
  };
  const controller = new TuningRunController<Evaluation>(request.plan, {
    engine,
    examples: request.examples,
    evaluate: (_step, signal) =>
      evaluateExamples(engine, request.spec, request.validation, {
        adapter: { kind: 'trained' },
        signal,
        ...(request.labelCompletions ? { labelCompletions: request.labelCompletions } : {}),
        onProgress: (done, total) => useRunStore.getState().update({ evaluating: { done, total } }),
      }),
    checkpoints: { save: (c) => repo.saveCheckpoint(record.id, c), discardFrom: (step) => repo.discardCheckpointsFrom(record.id, step) },
    onEvent,
  });
  running = controller;
  const work = async () => {
    try {
      await controller.start(checkpoint);
    } finally {
      running = null;
      useRunStore.getState().update({ active: false, evaluating: null });
      await save(true);
    }
  };
  const lockManager = locks();
  if (!lockManager) {
    void work();
    return { ok: true, runId: record.id };
  }
  // The lock is held for the whole run; whether it was free is known at once.
  return new Promise<StartResult>((resolve) => {
    void withTuningLock(lockManager, () => {
      resolve({ ok: true, runId: record.id });
      return work();
    }).then((result) => {
      if (result.status === 'busy') {
        running = null;
        useRunStore.getState().setRun(null);
        resolve({ ok: false, message: 'A tuning run is active in another tab of the studio: pause or finish it there first.' });
      }
    });
  });
}

export function pauseRun(): void {
  running?.pause();
}

export function cancelRun(): void {
  running?.cancel();
}

export function isRunning(): boolean {
  return running !== null;
}
