import type { ModelFiles, PeftAdapter, TrainingCheckpoint } from '../../../engine/engine.ts';
import { zipFiles } from '../../lib/zip.ts';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, adapterConfigJson } from './adapter-files.ts';

/**
 * A stored run's tuned weights as a zip, made from its latest checkpoint (kept in the tuning repository) by the small
 * model's engine, which unpacks it with the loaded model's shapes (so that model must be the run's; the engine refuses
 * another): a LoRA run's PEFT adapter (Engine.checkpointAdapter: adapter_config.json + adapter_model.safetensors), or
 * a run that trained all weights' tuned model (Engine.checkpointModel: config.json + model.safetensors, loadable with
 * transformers' from_pretrained and the base model's tokenizer). Both work after a reload, with no training prepared.
 * Used by the Tuning tab (the run shown) and the Experiments tab (a finished run). Injected so it tests without either.
 */
export interface CheckpointExportDeps {
  latestCheckpoint(runId: string): Promise<TrainingCheckpoint | undefined>;
}

export interface AdapterExportDeps extends CheckpointExportDeps {
  checkpointAdapter(checkpoint: TrainingCheckpoint): Promise<PeftAdapter>;
}

export interface ModelExportDeps extends CheckpointExportDeps {
  checkpointModel(checkpoint: TrainingCheckpoint): Promise<ModelFiles>;
}

/** The zip and the step of the checkpoint it was made from. */
export interface CheckpointZip {
  readonly zip: Uint8Array;
  readonly step: number;
}

/** Rejects with an Error saying why when the run kept no checkpoint; the engine's EngineError when it refuses it. */
export async function runAdapterZip(runId: string, deps: AdapterExportDeps): Promise<CheckpointZip> {
  const checkpoint = await latestOf(runId, deps, 'adapter');
  const adapter = await deps.checkpointAdapter(checkpoint);
  return { zip: zipFiles({ [ADAPTER_CONFIG_FILE]: adapterConfigJson(adapter.config), [ADAPTER_WEIGHTS_FILE]: adapter.weights }), step: checkpoint.step };
}

/** The tuned model's files (config.json, model.safetensors) as the engine makes them; rejects as runAdapterZip does. */
export async function runModelZip(runId: string, deps: ModelExportDeps): Promise<CheckpointZip> {
  const checkpoint = await latestOf(runId, deps, 'tuned model');
  const model = await deps.checkpointModel(checkpoint);
  return { zip: zipFiles(Object.fromEntries(model.files.map((f) => [f.name, f.bytes]))), step: checkpoint.step };
}

async function latestOf(runId: string, deps: CheckpointExportDeps, what: string): Promise<TrainingCheckpoint> {
  const checkpoint = await deps.latestCheckpoint(runId);
  if (!checkpoint) throw new Error(`This run kept no checkpoint (it was imported, or its checkpoints were deleted): there is no ${what} to export.`);
  return checkpoint;
}
