import { create } from 'zustand';
import type { EvaluationTag, StoredRun } from '../../../fiat/storage/tuning-repository.ts';
import type { LossPoint, StepSample } from '../../../fiat/tuning/curves.ts';
import type { Evaluation } from '../../../fiat/tuning/evaluate.ts';
import type { RunStatus } from '../../../fiat/tuning/run-controller.ts';

/**
 * The tuning run the Tuning tab shows: the one running in this tab, or a finished or paused one reopened from the
 * runs list. Written by the run launcher (run-launcher.ts) while it runs, read by the run views (progress, curves,
 * predictions). The run's record (fiat/storage/tuning-repository.ts) is what survives a reload; this is its live view.
 */
export interface RunEvaluation {
  readonly step: number;
  readonly evaluation: Evaluation;
  /** Made after the run (the Evaluate section): its split and model state. Absent: the run's own, at its step. */
  readonly tag?: EvaluationTag;
}

export interface LiveRun {
  readonly runId: string;
  readonly taskId: string;
  readonly status: RunStatus;
  readonly message: string | null;
  readonly totalSteps: number;
  /** The model the run tunes (its label) and where it runs. */
  readonly modelLabel: string;
  readonly ep: string;
  /** WASM's threads (null on WebGPU, or not recorded). */
  readonly threads: number | null;
  readonly losses: readonly LossPoint[];
  /** Pace samples of the current segment(s) (curves.ts throughput). */
  readonly samples: readonly StepSample[];
  readonly evaluations: readonly RunEvaluation[];
  /** An evaluation in progress: examples done of all. */
  readonly evaluating: { readonly done: number; readonly total: number } | null;
  /** Whether this tab is running it (pause and cancel apply); false for a reopened run. */
  readonly active: boolean;
  /** A record of evaluations without a run (the base model's, imported adapters'): no training to show. */
  readonly evaluationsOnly?: boolean;
  /** The run trained every weight (an experiment's full-weight ablation): its export is the tuned model, not a PEFT adapter. */
  readonly allWeights?: boolean;
}

export interface RunState {
  run: LiveRun | null;
  /** The evaluation the views show (evaluation-record.ts evaluationKey); null: the latest. Reset with the run. */
  chosenEvaluation: string | null;
  setRun: (run: LiveRun | null, chosenEvaluation?: string | null) => void;
  chooseEvaluation: (key: string | null) => void;
  update: (patch: Partial<LiveRun> | ((run: LiveRun) => Partial<LiveRun>)) => void;
}

export const useRunStore = create<RunState>()((set) => ({
  run: null,
  chosenEvaluation: null,
  setRun: (run, chosenEvaluation = null) => set({ run, chosenEvaluation }),
  chooseEvaluation: (chosenEvaluation) => set({ chosenEvaluation }),
  update: (patch) => set((s) => (s.run ? { run: { ...s.run, ...(typeof patch === 'function' ? patch(s.run) : patch) } } : {})),
}));

/** A stored run as the live view shows it (reopened: not active). Its evaluations' results are Evaluations. */
export function liveRunOf(stored: StoredRun): LiveRun {
  return {
    runId: stored.id,
    taskId: stored.taskId,
    status: stored.status,
    message: stored.message ?? null,
    totalSteps: stored.totalSteps,
    modelLabel: stored.model.label,
    ep: typeof stored.settings['ep'] === 'string' ? stored.settings['ep'] : '',
    threads: threadsOf(stored.settings['plan']),
    losses: stored.losses,
    samples: [],
    evaluations: runEvaluationsOf(stored),
    evaluating: null,
    active: false,
    ...(stored.kind === 'evaluations' ? { evaluationsOnly: true } : {}),
    ...(allWeightsOf(stored.settings) ? { allWeights: true } : {}),
  };
}

/** The stored plan's setup (settings.plan.setup: fiat/tuning's RunPlan as the launcher stored it), read as data. */
function setupOf(plan: unknown): { wasmThreads?: unknown; allWeights?: unknown } | undefined {
  return typeof plan === 'object' && plan !== null ? (plan as { setup?: { wasmThreads?: unknown; allWeights?: unknown } }).setup : undefined;
}

function threadsOf(plan: unknown): number | null {
  const setup = setupOf(plan);
  return typeof setup?.wasmThreads === 'number' ? setup.wasmThreads : null;
}

/**
 * Whether a stored run trained every weight (its plan's TrainingSetup.allWeights): the flag is part of the setup the
 * launcher stores with the run, so records made before full-weight training read as LoRA runs, as they were.
 */
export function allWeightsOf(settings: Readonly<Record<string, unknown>>): boolean {
  return setupOf(settings['plan'])?.allWeights === true;
}

/** A stored run's evaluations as the live view holds them (their results are Evaluations: the studio wrote them). */
export function runEvaluationsOf(stored: StoredRun): RunEvaluation[] {
  return stored.evaluations.map((e) => ({ step: e.step, evaluation: e.result as Evaluation, ...(e.tag ? { tag: e.tag } : {}) }));
}

/** The live view's evaluations as a record stores them, tags kept. */
export function storedEvaluationsOf(evaluations: readonly RunEvaluation[]): StoredRun['evaluations'] {
  return evaluations.map((e) => ({ step: e.step, result: e.evaluation, ...(e.tag ? { tag: e.tag } : {}) }));
}
