import type { ModelConfig } from '../models/config.ts';
import { adapterConfig, loraParameters, parseAdapterConfig, type LoraSpec } from '../models/lora.ts';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../models/safetensors.ts';
import type { PeftAdapter } from './engine.ts';
import { EngineError } from './errors.ts';

/** Which base model an adapter was tuned on: a Hub repo id (with its revision) or a local label. */
export interface AdapterBase {
  readonly name: string;
  readonly revision: string | null;
}

/**
 * An adapter in PEFT's format: adapter_config.json (PEFT's LoraConfig fields; base_model_name_or_path and revision
 * name the base, so a mismatched base is caught on import) and adapter_model.safetensors (float32 LoRA tensors by
 * PEFT name, as PeftModel.save_pretrained writes them).
 */
export function writePeftAdapter(
  tensors: ReadonlyMap<string, Float32Array | Float64Array>,
  config: ModelConfig,
  spec: LoraSpec,
  base: AdapterBase,
): PeftAdapter {
  const files: Record<string, TensorToWrite> = {};
  for (const p of loraParameters(config, spec)) {
    const data = tensors.get(p.name);
    if (!data) throw new EngineError('internal', `the trained adapter has no tensor "${p.name}"`);
    files[p.name] = { dtype: 'F32', shape: p.shape, data: data instanceof Float32Array ? data : Float32Array.from(data) };
  }
  return { config: { ...adapterConfig(spec, base.name), revision: base.revision }, weights: writeSafetensors(files) };
}

export interface ReadAdapter {
  readonly spec: LoraSpec;
  readonly base: AdapterBase;
  /** LoRA tensors by PEFT name, float32. */
  readonly tensors: Map<string, Float32Array>;
}

/**
 * Reads a PEFT adapter for `config`: its LoraConfig must be one the engine computes (lora.ts parseAdapterConfig says
 * which field is not), and its tensors must be exactly the LoRA tensors of this model's shapes; an adapter tuned on
 * another base (other layer count or widths) is refused with the first tensor that differs.
 */
export function readPeftAdapter(adapter: PeftAdapter, config: ModelConfig): ReadAdapter {
  let parsed: ReturnType<typeof parseAdapterConfig>;
  try {
    parsed = parseAdapterConfig(adapter.config);
  } catch (error) {
    throw new EngineError('config', error instanceof Error ? error.message : String(error), { file: 'adapter_config.json' });
  }
  const file = 'adapter_model.safetensors';
  let weights: ReturnType<typeof readSafetensors>;
  try {
    weights = readSafetensors(adapter.weights, file);
  } catch (error) {
    throw new EngineError('weights', error instanceof Error ? error.message : String(error), { file });
  }
  const tensors = new Map<string, Float32Array>();
  const expected = loraParameters(config, parsed.spec);
  const other = 'is it an adapter for another base model?';
  for (const p of expected) {
    if (!weights.tensors.has(p.name)) throw new EngineError('weights', `${file}: tensor "${p.name}" is missing (${other})`, { file });
    const shape = weights.info(p.name).shape;
    if (shape.length !== 2 || shape[0] !== p.shape[0] || shape[1] !== p.shape[1]) {
      throw new EngineError('weights', `${file}: tensor "${p.name}" has shape [${shape.join(', ')}], this model needs [${p.shape.join(', ')}] (${other})`, { file });
    }
    tensors.set(p.name, weights.float32(p.name));
  }
  const names = new Set(expected.map((p) => p.name));
  for (const name of weights.tensors.keys()) {
    if (!names.has(name)) throw new EngineError('weights', `${file}: tensor "${name}" is not a LoRA tensor of this model with these targets (${other})`, { file });
  }
  const revision = typeof adapter.config['revision'] === 'string' ? adapter.config['revision'] : null;
  return { spec: parsed.spec, base: { name: parsed.baseModelNameOrPath ?? '', revision }, tensors };
}
