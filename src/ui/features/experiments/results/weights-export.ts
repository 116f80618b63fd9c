import type { FinishedRun } from '../../../../fiat/experiments/queue.ts';
import { trainsAllWeights } from '../../../../fiat/experiments/methods.ts';
import { type AdapterExportDeps, type CheckpointZip, type ModelExportDeps, runAdapterZip, runModelZip } from '../../tuning/checkpoint-exports.ts';
import { methodOf } from '../runner/spec-method.ts';

/**
 * What a finished trained run's weights export is (issue 20, "any run's PEFT adapter"): a LoRA run's PEFT adapter, or,
 * for the methods that train all weights (w/o Parameter-efficient tuning, w/o Instruction-tuned base model), which
 * have no adapter, the tuned model itself (config.json + model.safetensors). Both are made from the run's latest
 * checkpoint by the engine holding the run's model (tuning/checkpoint-exports.ts).
 */
export type WeightsExport = 'adapter' | 'model';

export function weightsExportOf(run: FinishedRun): WeightsExport {
  return trainsAllWeights(methodOf(run.spec)) ? 'model' : 'adapter';
}

/** The button's text, and the archive's name after the experiment's and the run's ("…-adapter.zip", "…-model.zip"). */
export const WEIGHTS_EXPORT_TEXT: Record<WeightsExport, { readonly button: string; readonly fileSuffix: string }> = {
  adapter: { button: 'Adapter (zip)', fileSuffix: 'adapter' },
  model: { button: 'Tuned model (zip)', fileSuffix: 'model' },
};

export function runWeightsZip(run: FinishedRun, runId: string, deps: AdapterExportDeps & ModelExportDeps): Promise<CheckpointZip> {
  return weightsExportOf(run) === 'model' ? runModelZip(runId, deps) : runAdapterZip(runId, deps);
}
