import { checkpointParameters } from './architecture.ts';
import type { ModelConfig } from './config.ts';
import { SeededRandom } from './random.ts';
import { sizeOf } from '../graph/shape.ts';

/**
 * Seeded random base weights with HF's _init_weights: linear and embedding weights ~ N(0, initializerRange^2),
 * biases 0, RMSNorm weights 1. For tests, benchmarks and the offline demo, where a real checkpoint is not
 * needed. Values are drawn in checkpointParameters order (row-major) from SeededRandom(seed); tensors that
 * are not drawn (biases, norms) consume no random numbers.
 */
export function randomBaseWeights(config: ModelConfig, seed: number): Map<string, Float32Array> {
  const random = new SeededRandom(seed);
  const out = new Map<string, Float32Array>();
  for (const { name, shape } of checkpointParameters(config)) {
    const size = sizeOf(shape);
    if (name.endsWith('norm.weight')) out.set(name, new Float32Array(size).fill(1));
    else if (name.endsWith('.bias')) out.set(name, new Float32Array(size));
    else out.set(name, random.normalArray(size, config.initializerRange));
  }
  return out;
}
