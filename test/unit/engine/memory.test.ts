import { describe, expect, test } from 'vitest';
import { estimateTrainingMemory, lossChunkBytesFor, trainStepMemory, type MemorySetup } from '../../../src/engine/memory.ts';
import { LOSS_CHUNK_BYTES } from '../../../src/graph/nn/loss.ts';
import { checkpointParameters } from '../../../src/models/architecture.ts';
import type { ModelConfig } from '../../../src/models/config.ts';
import { loraParameters, type LoraSpec } from '../../../src/models/lora.ts';
import { jsepBufferBytes } from '../../../src/runtime/jsep-buffers.ts';
import { tinyLlamaConfig } from '../../support/tiny-models.ts';

const MiB = 2 ** 20;

/** The tests' tiny Llama (hidden 32, 4 heads, vocab 64) with other layer counts or vocabularies. */
const tiny = (over: Partial<ModelConfig> = {}): ModelConfig => ({ ...tinyLlamaConfig, ...over });

const lora = (r = 8, targets: LoraSpec['targets'] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down']): LoraSpec => ({ r, alpha: 2 * r, targets, dropout: 0 });
const setup = (microBatchSize: number, seqLen: number, r = 8): MemorySetup => ({ lora: lora(r), microBatchSize, seqLen });
const peak = (config: ModelConfig, s: MemorySetup) => estimateTrainingMemory(config, s, null, null).peakBytes;

// Each estimate builds train-step graphs (tens of milliseconds idle, seconds on a loaded 2-core machine).
describe('estimateTrainingMemory', { timeout: 60_000 }, () => {
  const config = tiny();

  test('grows with micro-batch, sequence length and LoRA rank', () => {
    const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);
    expect(increasing([1, 2, 4, 8].map((b) => peak(config, setup(b, 32))))).toBe(true);
    expect(increasing([16, 32, 64, 128].map((t) => peak(config, setup(2, t))))).toBe(true);
    expect(increasing([4, 8, 16, 32].map((r) => peak(config, setup(2, 32, r))))).toBe(true);
  });

  test("its weights and adapter parts are the model's bytes, also where layers are extrapolated", () => {
    for (const layers of [2, 6]) {
      const c = tiny({ numHiddenLayers: layers, tieWordEmbeddings: true });
      // One layout of each layer matrix ('per-step'), and the tied embedding also as the head reads it ([H, V]).
      const e = estimateTrainingMemory(c, { ...setup(2, 32), backwardWeights: 'per-step' }, null, null);
      const weights = checkpointParameters(c).reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 4), 0) + c.vocabSize * c.hiddenSize * 4;
      const adapter = loraParameters(c, lora()).reduce((a, p) => a + p.shape[0] * p.shape[1] * 4, 0);
      expect(e.parts.weights).toBe(weights);
      // The adapter and its two moments, each as uploaded and as a step outputs it (JSEP's buffer).
      expect(e.parts.adapterAndOptimizer).toBe(3 * (adapter + jsepBufferBytes(adapter)));
      expect(e.parts.weights + e.parts.adapterAndOptimizer + e.parts.activations).toBe(e.peakBytes);
      // Both layouts ('stored', the default) add the layers' matrices once more, less the ones layer 0's backward never reads.
      const stored = estimateTrainingMemory(c, setup(2, 32), null, null).parts.weights;
      expect(stored).toBeGreaterThan(weights);
      expect(stored).toBeLessThan(2 * weights);
    }
  });

  test('the extrapolated estimate of a 6-layer model is near a replay of all its layers', () => {
    const c = tiny({ numHiddenLayers: 6 });
    const ratio = peak(c, setup(2, 32)) / trainStepMemory(c, setup(2, 32), LOSS_CHUNK_BYTES).peak;
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
  });

  test('fits, without advice, within a budget and limits it stays under', () => {
    const e = estimateTrainingMemory(config, setup(4, 64), { maxBufferSize: 256 * MiB, maxStorageBufferBindingSize: 128 * MiB }, 64 * MiB);
    expect(e.fits).toBe(true);
    expect(e.advice).toEqual([]);
    expect(e.largestBufferBytes).toBeLessThan(128 * MiB);
  });

  test("over the budget: what to change, in the user's words", () => {
    const free = estimateTrainingMemory(config, setup(4, 64), null, null);
    // Room for 60% of the activations: micro-batch 2 (or sequence 32) would do.
    const budget = free.parts.weights + free.parts.adapterAndOptimizer + 0.6 * free.parts.activations;
    const e = estimateTrainingMemory(config, setup(4, 64), null, budget);
    expect(e.fits).toBe(false);
    expect(e.advice).toEqual(['micro-batch 2 instead of 4', 'sequence length 32 instead of 64', 'LoRA on fewer projections (q, v)', 'a smaller model']);
    expect(e.peakBytes).toBe(free.peakBytes);
  });

  test('weights and adapter alone over the budget: only a smaller model helps', () => {
    const free = estimateTrainingMemory(config, setup(4, 64), null, null);
    const e = estimateTrainingMemory(config, setup(4, 64), null, free.parts.weights + free.parts.adapterAndOptimizer);
    expect(e.fits).toBe(false);
    expect(e.advice).toEqual(['a smaller model']);
  });

  test("a buffer larger than the device's largest buffer or storage binding does not fit", () => {
    const free = estimateTrainingMemory(config, setup(4, 64), null, null);
    expect(free.largestBufferBytes).toBe(4 * 4 * 64 * 64 * 4); // attention scores [B, heads, T, T]
    for (const limits of [
      { maxBufferSize: 128 * 1024, maxStorageBufferBindingSize: 128 * MiB },
      { maxBufferSize: 128 * MiB, maxStorageBufferBindingSize: 128 * 1024 },
    ]) {
      const e = estimateTrainingMemory(config, setup(4, 64), limits, null);
      expect(e.fits).toBe(false);
      expect(e.advice[0]).toBe('micro-batch 2 instead of 4');
    }
  });

  test('a weight larger than the largest buffer: a smaller model', () => {
    const big = tiny({ vocabSize: 8192 }); // the embedding: 8192 x 32 floats, 1 MiB
    const e = estimateTrainingMemory(big, setup(1, 16), { maxBufferSize: MiB / 2, maxStorageBufferBindingSize: MiB / 2 }, null);
    expect(e.fits).toBe(false);
    expect(e.advice).toEqual(['a smaller model']);
  });

  test('under a small binding limit the loss runs in chunks whose buffers fit', () => {
    const big = tiny({ vocabSize: 8192 });
    // 128 rows of 8,192 logits: 4 MiB in one chunk; the 2 MiB limit makes it two chunks.
    expect(estimateTrainingMemory(big, setup(2, 64), null, null).largestBufferBytes).toBe(4 * MiB);
    const e = estimateTrainingMemory(big, setup(2, 64), { maxBufferSize: 2 * MiB, maxStorageBufferBindingSize: 2 * MiB }, null);
    expect(e.largestBufferBytes).toBe(2 * MiB);
    expect(e.fits).toBe(true);
  });
});

describe('lossChunkBytesFor', () => {
  test('the default without limits, else the largest JSEP buffer within both limits', () => {
    expect(lossChunkBytesFor(null)).toBe(LOSS_CHUNK_BYTES);
    expect(lossChunkBytesFor({ maxBufferSize: 4 * 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 })).toBe(LOSS_CHUNK_BYTES);
    expect(lossChunkBytesFor({ maxBufferSize: 256 * MiB, maxStorageBufferBindingSize: 128 * MiB })).toBe(128 * MiB);
    // 100 MiB: a 100 MiB tensor would take a 128 MiB bucket, so chunks of at most 64 MiB.
    expect(lossChunkBytesFor({ maxBufferSize: 100 * MiB, maxStorageBufferBindingSize: 2 ** 30 })).toBe(64 * MiB);
    // Above the largest bucket (160 MiB) buffers are exact sizes.
    expect(lossChunkBytesFor({ maxBufferSize: 200 * MiB, maxStorageBufferBindingSize: 200 * MiB })).toBe(200 * MiB);
  });
});
