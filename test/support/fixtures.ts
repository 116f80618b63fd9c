// Loads a PyTorch reference fixture (test/fixtures/<name>/, see its README) into the engine's types.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBaseWeights, type BaseWeights } from '../../src/models/base-weights.ts';
import type { Batch } from '../../src/models/batch.ts';
import { parseModelConfigText, type ModelConfig } from '../../src/models/config.ts';
import { parseAdapterConfigText, type LoraSpec } from '../../src/models/lora.ts';
import { readSafetensors, type SafetensorsFile } from '../../src/models/safetensors.ts';

export const FIXTURES = ['tiny-llama', 'tiny-qwen2', 'tiny-qwen3'] as const;
export type FixtureName = (typeof FIXTURES)[number];

export interface Fixture {
  readonly name: FixtureName;
  readonly config: ModelConfig;
  readonly lora: LoraSpec;
  readonly weights: BaseWeights;
  readonly adapter: Map<string, Float32Array>;
  readonly batch: (dtype: 'float32' | 'float64') => Batch;
  /** logits, loss and one gradient per LoRA tensor (PEFT names). */
  readonly expected: SafetensorsFile;
  readonly expected64: SafetensorsFile;
}

/** test/fixtures/ (a bundled script passes its own, see bench/engine/gpu/). */
const defaultRoot = new URL('../fixtures/', import.meta.url);

export function loadFixture(name: FixtureName, root: URL | string = defaultRoot): Fixture {
  const dir = root instanceof URL ? fileURLToPath(root) : root;
  const bytes = (file: string) => readFileSync(join(dir, name, file));
  const tensors = (file: string) => readSafetensors(bytes(file), `${name}/${file}`);
  const config = parseModelConfigText(bytes('config.json').toString('utf8'), `${name}/config.json`);
  const lora = parseAdapterConfigText(bytes('adapter_config.json').toString('utf8')).spec;
  const { weights } = loadBaseWeights(config, [{ name: `${name}/model.safetensors`, file: tensors('model.safetensors') }]);
  const adapterFile = tensors('adapter_model.safetensors');
  const adapter = new Map([...adapterFile.tensors.keys()].map((k) => [k, adapterFile.float32(k)]));
  const batchFile = tensors('batch.safetensors');
  const [b, t] = batchFile.info('input_ids').shape as [number, number];
  const batch = (dtype: 'float32' | 'float64'): Batch => {
    const float = (k: string) => (dtype === 'float64' ? batchFile.float64(k) : batchFile.float32(k));
    return { batchSize: b, seqLen: t, input_ids: batchFile.int64('input_ids'), attention_mask: float('attention_mask'), labels: float('labels'), loss_mask: float('loss_mask') };
  };
  return { name, config, lora, weights, adapter, batch, expected: tensors('expected.safetensors'), expected64: tensors('expected-f64.safetensors') };
}
