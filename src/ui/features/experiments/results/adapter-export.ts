import type { PeftAdapter, TrainingCheckpoint } from '../../../../engine/engine.ts';
import { zipFiles } from '../../../lib/zip.ts';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, adapterConfigJson } from '../../tuning/adapter-files.ts';

/**
 * A finished run's PEFT adapter as a zip of its two files: the run's latest checkpoint (kept in the tuning repository)
 * made into adapter_config.json + adapter_model.safetensors by the small model's engine (Engine.checkpointAdapter: the
 * unpacking needs the loaded model's shapes, so that model must be the run's). Injected so it tests without either.
 */
export interface AdapterExportDeps {
  latestCheckpoint(runId: string): Promise<TrainingCheckpoint | undefined>;
  checkpointAdapter(checkpoint: TrainingCheckpoint): Promise<PeftAdapter>;
}

/** Rejects with an Error saying why when the run kept no checkpoint; the engine's EngineError when it refuses it. */
export async function runAdapterZip(runId: string, deps: AdapterExportDeps): Promise<{ zip: Uint8Array; step: number }> {
  const checkpoint = await deps.latestCheckpoint(runId);
  if (!checkpoint) throw new Error('This run kept no checkpoint (it was imported, or its checkpoints were deleted): there is no adapter to export.');
  const adapter = await deps.checkpointAdapter(checkpoint);
  return { zip: zipFiles({ [ADAPTER_CONFIG_FILE]: adapterConfigJson(adapter.config), [ADAPTER_WEIGHTS_FILE]: adapter.weights }), step: checkpoint.step };
}
