import { checkpointParameters } from './architecture.ts';
import type { ModelConfig } from './config.ts';
import type { SafetensorsFile } from './safetensors.ts';

/**
 * The frozen base weights of a model, float32, by Hugging Face checkpoint name ("model.layers.0.mlp.up_proj.weight").
 * Exactly the tensors of checkpointParameters(config); tied models have no lm_head.weight.
 */
export type BaseWeights = ReadonlyMap<string, Float32Array>;

/** A checkpoint that does not fit the config; names the file and the tensor at fault. */
export class WeightsError extends Error {
  override readonly name = 'WeightsError';
}

/** Tensors some checkpoints store that the model does not use (the graph recomputes or ties them). */
const IGNORABLE = [/\.rotary_emb\.inv_freq$/, /^lm_head\.weight$/];

export interface LoadedBaseWeights {
  readonly weights: BaseWeights;
  /** Tensors present in the files but not used (old rotary buffers, a stored lm_head of a tied model). */
  readonly ignored: readonly string[];
}

/**
 * Reads the base weights from one or more safetensors files (a sharded checkpoint is several), converting
 * F16/BF16/F64 to float32. Every tensor the config needs must be present with its shape; a tensor the model
 * cannot use (other than the known leftovers in IGNORABLE) is refused, since it means the config and the
 * checkpoint belong to different models.
 */
export function loadBaseWeights(config: ModelConfig, files: readonly { readonly name: string; readonly file: SafetensorsFile }[]): LoadedBaseWeights {
  const where = new Map<string, { name: string; file: SafetensorsFile }>();
  for (const entry of files) {
    for (const tensor of entry.file.tensors.keys()) {
      const before = where.get(tensor);
      if (before) throw new WeightsError(`${entry.name}: tensor "${tensor}" is also in ${before.name}`);
      where.set(tensor, entry);
    }
  }
  const weights = new Map<string, Float32Array>();
  const wanted = checkpointParameters(config);
  for (const p of wanted) {
    const entry = where.get(p.name);
    const sources = files.map((f) => f.name).join(', ') || 'the weights';
    if (!entry) throw new WeightsError(`${sources}: tensor "${p.name}" is missing (the config needs it, shape [${p.shape.join(', ')}])`);
    const info = entry.file.info(p.name);
    if (info.shape.length !== p.shape.length || info.shape.some((d, i) => d !== p.shape[i])) {
      throw new WeightsError(`${entry.name}: tensor "${p.name}" has shape [${info.shape.join(', ')}], the config needs [${p.shape.join(', ')}]`);
    }
    if (!['F32', 'F16', 'BF16', 'F64'].includes(info.dtype)) {
      throw new WeightsError(`${entry.name}: tensor "${p.name}" is ${info.dtype}; float weights (F32, F16, BF16, F64) are supported`);
    }
    weights.set(p.name, entry.file.float32(p.name));
  }
  const names = new Set(wanted.map((p) => p.name));
  const ignored: string[] = [];
  for (const [tensor, entry] of where) {
    if (names.has(tensor)) continue;
    if (!IGNORABLE.some((re) => re.test(tensor))) {
      throw new WeightsError(`${entry.name}: tensor "${tensor}" is not part of a ${config.architecture} with this config (is it the right checkpoint?)`);
    }
    ignored.push(tensor);
  }
  return { weights, ignored };
}
