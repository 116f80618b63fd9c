import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PeftAdapter } from '../src/engine/engine.ts';
import { UsageError } from './args.ts';

/**
 * A PEFT adapter folder (adapter_config.json + adapter_model.safetensors, as `fiat train --out` and PEFT's
 * save_pretrained write it) as the engine's PeftAdapter. Only the files are checked here; whether the adapter fits
 * the model is the engine's to say.
 */
export function readAdapterDir(dir: string, flag = '--adapter'): PeftAdapter {
  const read = (name: string): Buffer => {
    try {
      return readFileSync(join(dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`${flag}: cannot read ${join(dir, name)}${code ? ` (${code})` : ''}: an adapter folder has adapter_config.json and adapter_model.safetensors`);
    }
  };
  let config: unknown;
  try {
    config = JSON.parse(read('adapter_config.json').toString('utf8'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag}: ${join(dir, 'adapter_config.json')} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UsageError(`${flag}: ${join(dir, 'adapter_config.json')} must be a JSON object`);
  const weights = read('adapter_model.safetensors');
  return { config: config as Record<string, unknown>, weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) };
}
