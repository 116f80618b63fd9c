import type { RunSettings } from '../../../fiat/project/tuning-settings.ts';
import type { RunPlan } from '../../../fiat/tuning/run-controller.ts';
import { runSteps } from './run-settings-store.ts';
import type { SavedShapes } from './tuning-store.ts';
import type { TrainBackend } from './train-backend.ts';

/**
 * The plan of a new run from the tab's saved shapes and run settings over `examples` training pairs, on `where`: the
 * one place the Run section's Train and the Training set's TRL export read it, so the export holds the run Train would
 * start now (its steps count the pairs as Train does). Not the e2e plan override (plan-override.ts), which only Train
 * applies.
 */
export function runPlanOf(shapes: SavedShapes, settings: RunSettings, examples: number, where: Pick<TrainBackend, 'ep' | 'wasmThreads'>): RunPlan {
  return {
    setup: {
      lora: shapes.lora,
      batchSize: shapes.batchSize,
      microBatchSize: shapes.microBatchSize,
      seqLen: shapes.seqLen,
      ep: where.ep,
      ...(where.wasmThreads === undefined ? {} : { wasmThreads: where.wasmThreads }),
      seed: settings.seed,
      ...(shapes.memoryBudgetBytes === null ? {} : { memoryBudgetBytes: shapes.memoryBudgetBytes }),
    },
    totalSteps: runSteps(settings, examples, shapes.batchSize),
    lr: { peak: settings.lr, warmupSteps: settings.warmupSteps, decay: settings.decay },
    seed: settings.seed,
    evalEvery: settings.evalEvery,
    checkpointEvery: settings.checkpointEvery,
  };
}
