import { readFileSync } from 'node:fs';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../src/models/safetensors.ts';

/** The tiny Llama checkpoint (test/fixtures/tiny-llama) as a Hub repo serves it: config.json and model.safetensors. */
export const TINY_LLAMA_DIR = 'test/fixtures/tiny-llama';

export function tinyLlamaFiles(): { 'config.json': Uint8Array; 'model.safetensors': Uint8Array } {
  return {
    'config.json': new Uint8Array(readFileSync(`${TINY_LLAMA_DIR}/config.json`)),
    'model.safetensors': new Uint8Array(readFileSync(`${TINY_LLAMA_DIR}/model.safetensors`)),
  };
}

/**
 * The tiny Llama's weights split as transformers' save_pretrained shards them: model-0000i-of-0000n.safetensors
 * and model.safetensors.index.json (metadata.total_size, weight_map tensor -> shard), tensors in file order,
 * shard i taking the i-th of n equal runs.
 */
export function shardedTinyLlamaFiles(shardCount: number): Record<string, Uint8Array> {
  const { 'config.json': config, 'model.safetensors': weights } = tinyLlamaFiles();
  const file = readSafetensors(weights, 'tiny-llama model.safetensors');
  const names = [...file.tensors.keys()];
  const files: Record<string, Uint8Array> = { 'config.json': config };
  const weightMap: Record<string, string> = {};
  const pad = (n: number) => String(n).padStart(5, '0');
  for (let shard = 0; shard < shardCount; shard += 1) {
    const shardName = `model-${pad(shard + 1)}-of-${pad(shardCount)}.safetensors`;
    const tensors: Record<string, TensorToWrite> = {};
    for (const name of names.slice(Math.floor((shard * names.length) / shardCount), Math.floor(((shard + 1) * names.length) / shardCount))) {
      const info = file.info(name);
      if (info.dtype !== 'F32') throw new Error(`${name} is ${info.dtype}: this helper copies F32 tensors only`);
      tensors[name] = { dtype: 'F32', shape: info.shape, data: file.float32(name) };
      weightMap[name] = shardName;
    }
    files[shardName] = writeSafetensors(tensors, { format: 'pt' });
  }
  const index = { metadata: { total_size: file.dataByteLength }, weight_map: weightMap };
  files['model.safetensors.index.json'] = new TextEncoder().encode(JSON.stringify(index, null, 2));
  return files;
}
