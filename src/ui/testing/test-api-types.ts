import type { ImportChoices } from '../../fiat/dataset/import.ts';
import type { Project } from '../../fiat/project/project.ts';
import type { StoredRun } from '../../fiat/storage/tuning-repository.ts';
import type { TaskKind } from '../../fiat/task/task.ts';
import type { TuningSettings } from '../../fiat/project/tuning-settings.ts';
import type { TemplateDiagnostic } from '../../fiat/template/lint.ts';
import type { InstructionRole } from '../../fiat/template/variables.ts';
import type { PlanOverride } from '../features/tuning/plan-override.ts';

/** A Monaco marker as the test API reports it. */
export interface MarkerView {
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

export interface PreviewTimingView {
  toCommit: number;
  toFrame: number;
}

/**
 * The typed API the e2e build (`vite build --mode e2e`) exposes as `window.__fiat`, so tests read
 * state instead of scraping it. Production builds do not have it.
 */
export interface FiatTestApi {
  /** Resolves once the saved project is loaded and the current task's examples are in. */
  ready(): Promise<void>;
  project(): Project;
  setInstruction(role: InstructionRole, text: string): void;
  /** The linter's diagnostics for an instruction in the current task. */
  diagnostics(role: InstructionRole): TemplateDiagnostic[];
  /** The markers Monaco holds for an instruction's editor. */
  markers(role: InstructionRole): Promise<MarkerView[]>;
  /** The current task, without its examples. */
  task(): { id: string; name: string; kind: TaskKind; exampleCount: number } | null;
  /** Ids of the current task's first examples (up to `limit`). */
  exampleIds(limit: number): string[];
  selectExample(id: string): void;
  /** Import a dataset through the same pipeline as the import dialog (for benchmarks). */
  importDataset(text: string, fileName: string, choices?: Partial<ImportChoices>): Promise<{ taskId: string; examples: number; issues: string[] }>;
  /** How many reasonings the reasoning cache (IndexedDB) holds. */
  reasoningCacheCount(): Promise<number>;
  /**
   * Load a model from a Hub (a local one in tests) as the small model θ_τ in a Web Worker engine and make its
   * tokenizer the studio's (what the model panel does after a load); resolves with the model's label.
   */
  loadSmallModel(hub: { endpoint: string; repo: string; revision: string }): Promise<string>;
  /** Change the chosen task's run shapes (what the model panel's memory check estimates), e.g. a GPU memory budget. */
  setTrainingShapes(shapes: Partial<TuningSettings['shapes']>): void;
  /** The tuning engine's small model: whether one is loaded or loading, and its label. */
  smallModel(): { status: 'empty' | 'loading' | 'loaded'; label: string | null; randomWeights: boolean | null };
  /** The tuning run shown in the Tuning tab: its status and each step's loss (the run store's live view). */
  tuningRun(): { runId: string; status: string; active: boolean; losses: { step: number; loss: number }[]; evaluations: number[] } | null;
  /**
   * Save a finished run of the current task with one evaluation of its first `count` validation examples, made
   * without a model (seeded-run.ts: even-numbered right, odd-numbered wrong), and refresh the runs list.
   */
  seedRun(id: string, count: number): Promise<StoredRun>;
  /**
   * Prepare a tiny training (LoRA r 2 on q and v, batch 1, 16 tokens, WASM) on the loaded small model in the tuning
   * engine, as a run does before its first step, so there is a tuned adapter to export.
   */
  prepareTinyTraining(): Promise<void>;
  /**
   * Give a stored run a checkpoint made by the loaded small model: a tiny training (as prepareTinyTraining) trained
   * `steps` steps at a high rate on a few short pairs, so its adapter moves the scores, saved as the run's checkpoint.
   * Returns the checkpoint's step.
   */
  seedCheckpoint(runId: string, steps: number): Promise<number>;
  /**
   * Make the tuning engine's worker destroy its GPU device (device.destroy(): device.lost with reason 'destroyed'), now
   * (null) or right after train step `atStep` is reported, so that the run in progress loses its device at a known
   * step. The engine then replaces its worker and loads the model again (lib/tuning-engine.ts).
   */
  loseTuningDevice(atStep: number | null): Promise<void>;
  /** Resolves once the tuning engine is not being replaced after a lost device. */
  tuningEngineRecovered(): Promise<void>;
  /** Every stored tuning run's id, newest first. */
  runIds(): Promise<string[]>;
  /**
   * What the next run started with Train runs with beyond its settings fields (plan-override.ts): e.g. a peak learning
   * rate of 1e30 without gradient clipping, to force a NaN loss. Applies to that one run.
   */
  overrideNextRunPlan(override: PlanOverride): void;
  /**
   * The stored record of the run the Tuning tab shows (read from the tuning repository, not the live view): its status,
   * step and message, and the step of its latest checkpoint (null when it has none). Null when no run is shown.
   */
  shownRunRecord(): Promise<{ id: string; status: string; step: number; message: string | null; latestCheckpointStep: number | null } | null>;
  /** Write pending changes to IndexedDB now. */
  flushSave(): Promise<void>;
  /** Keystroke-to-preview timings (bench/preview.ts). */
  perf: { start(): void; timings(): PreviewTimingView[] };
}

declare global {
  interface Window {
    __fiat?: FiatTestApi;
  }
}
