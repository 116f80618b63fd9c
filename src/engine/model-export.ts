import { checkpointParameters } from '../models/architecture.ts';
import { writeSafetensors, type TensorToWrite } from '../models/safetensors.ts';
import type { ModelFiles } from './engine.ts';
import { EngineError } from './errors.ts';
import type { LoadedModel } from './load-model.ts';

/**
 * A full-weight run's tuned model as the Hub lays a model out: config.json as the base model's (the architecture and
 * shapes are unchanged) and model.safetensors with every checkpoint tensor in float32 under its checkpoint name, in
 * HF's state_dict order, with the "format": "pt" metadata transformers' save_pretrained writes. A tied model has no
 * lm_head.weight, as its own checkpoint has none. The tokenizer is the base model's and is not repeated here.
 */
export function tunedModelFiles(model: Pick<LoadedModel, 'config' | 'configJson'>, tensors: ReadonlyMap<string, Float32Array>): ModelFiles {
  const out: Record<string, TensorToWrite> = {};
  for (const p of checkpointParameters(model.config)) {
    const data = tensors.get(p.name);
    if (data === undefined) throw new EngineError('config', `the tuned weights have no ${p.name}`);
    out[p.name] = { dtype: 'F32', shape: [...p.shape], data };
  }
  return {
    files: [
      { name: 'config.json', bytes: new TextEncoder().encode(model.configJson) },
      { name: 'model.safetensors', bytes: writeSafetensors(out, { format: 'pt' }) },
    ],
  };
}
