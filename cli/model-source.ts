import { readFileSync } from 'node:fs';
import { loadBaseWeights, type BaseWeights } from '../src/models/base-weights.ts';
import { parseModelConfigText, type ModelConfig } from '../src/models/config.ts';
import { randomBaseWeights } from '../src/models/init.ts';
import { readSafetensors } from '../src/models/safetensors.ts';
import { UsageError } from './args.ts';

function readFile(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag}: cannot read ${path}${code ? ` (${code})` : ''}`);
  }
}

export function readConfig(path: string): ModelConfig {
  return parseModelConfigText(readFile(path, '--config').toString('utf8'), path);
}

/**
 * The base weights: from --weights (one safetensors file, or several comma-separated shards), or seeded random
 * (HF's init) when not given. Returns a description for the log.
 */
export function readWeights(config: ModelConfig, weights: string | undefined, seed: number): { weights: BaseWeights; source: string } {
  if (weights === undefined) return { weights: randomBaseWeights(config, seed), source: `random (seed ${seed})` };
  const files = weights.split(',').map((path) => ({ name: path, file: readSafetensors(readFile(path, '--weights'), path) }));
  const loaded = loadBaseWeights(config, files);
  const ignored = loaded.ignored.length > 0 ? `; ignored ${loaded.ignored.join(', ')}` : '';
  return { weights: loaded.weights, source: `${weights}${ignored}` };
}
