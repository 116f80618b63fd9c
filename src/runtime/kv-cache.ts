import type { Backend } from './backend.ts';
import type { OrtTensor } from './ort.ts';

/**
 * A generation's KV cache as the decode graphs (models/inference.ts) read and write it: per layer `past_key.N`
 * [B, KV, D, C] and `past_value.N` [B, KV, C, D] in, `present_key.N` / `present_value.N` out. Each run's outputs
 * become the next run's inputs and the replaced tensors are disposed, so on WebGPU (outputs kept as GPU buffers:
 * create the session with `residentOutputs: presentNames(...)`) the cache never leaves the GPU between tokens.
 *
 * Reuse: a cache can start a new generation as it is. Positions a generation has not written yet hold the previous
 * one's finite values, which the attention masks (their weight is exactly 0), so only the first cache of a shape
 * is uploaded as zeros.
 */
export interface KvCacheShape {
  readonly layers: number;
  readonly batchSize: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly cacheLength: number;
}

export class KvCache {
  private constructor(
    readonly shape: KvCacheShape,
    private names: { past: string[]; present: string[] },
    private tensors: OrtTensor[],
  ) {}

  /** A cache of zeros (resident on the backend's device). */
  static zeros(backend: Backend, shape: KvCacheShape, names: { past: readonly string[]; present: readonly string[] }): KvCache {
    const { layers, batchSize: b, kvHeads: kv, headDim: d, cacheLength: c } = shape;
    if (names.past.length !== 2 * layers || names.present.length !== 2 * layers) throw new Error(`KV cache: ${names.past.length} names for ${layers} layers`);
    const tensors = names.past.map((_, i) => backend.resident({ dtype: 'float32', shape: i % 2 === 0 ? [b, kv, d, c] : [b, kv, c, d], data: new Float32Array(b * kv * c * d) }));
    return new KvCache(shape, { past: [...names.past], present: [...names.present] }, tensors);
  }

  /** The cache as a run's inputs. */
  feeds(): Record<string, OrtTensor> {
    return Object.fromEntries(this.names.past.map((name, i) => [name, this.tensors[i]!]));
  }

  /** Takes a run's present_* outputs as the cache, disposing the tensors they replace. */
  advance(outputs: Readonly<Record<string, OrtTensor>>): void {
    const next = this.names.present.map((name) => {
      const t = outputs[name];
      if (t === undefined) throw new Error(`KV cache: the run has no output ${name}`);
      return t;
    });
    for (const t of this.tensors) t.dispose();
    this.tensors = next;
  }

  dispose(): void {
    for (const t of this.tensors) t.dispose();
    this.tensors = [];
  }
}
