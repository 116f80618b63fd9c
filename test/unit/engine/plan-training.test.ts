import { describe, expect, test } from 'vitest';
import type { BackendProvider } from '../../../src/engine/backends.ts';
import type { TrainingSetup } from '../../../src/engine/engine.ts';
import { loadRandomModel } from '../../../src/engine/load-model.ts';
import { estimateTrainingMemory } from '../../../src/engine/memory.ts';
import { planTraining } from '../../../src/engine/training-run.ts';
import { parseLoraSpec } from '../../../src/models/lora.ts';

const config = { architectures: ['LlamaForCausalLM'], vocab_size: 256, hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64, tie_word_embeddings: true };
const model = loadRandomModel({ kind: 'random', label: 'tiny', config, seed: 1 });
const limits = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 };
const backends: BackendProvider = { eps: ['webgpu', 'wasm'], open: () => Promise.reject(new Error('not opened in this test')), limits: (ep) => Promise.resolve(ep === 'webgpu' ? limits : null) };
const setup: TrainingSetup = { lora: { r: 4, alpha: 8, targets: ['q', 'v'] }, batchSize: 2, seqLen: 16, ep: 'webgpu' };

const peak = (backwardWeights: 'stored' | 'per-step') =>
  estimateTrainingMemory(model.config, { lora: parseLoraSpec(setup.lora), microBatchSize: 2, seqLen: 16, graphCapture: true, backwardWeights }, limits, null).peakBytes;

test('on WebGPU the frozen matrices are kept in both layouts when that fits, in one when only that fits', async () => {
  const [stored, single] = [peak('stored'), peak('per-step')];
  expect(single).toBeLessThan(stored);
  expect((await planTraining(model, setup, backends)).backwardWeights).toBe('stored');
  const tight = await planTraining(model, { ...setup, memoryBudgetBytes: Math.round((stored + single) / 2) }, backends);
  expect(tight).toMatchObject({ backwardWeights: 'per-step', memory: { fits: true } });
  const tooTight = await planTraining(model, { ...setup, memoryBudgetBytes: Math.round(single / 2) }, backends);
  expect(tooTight).toMatchObject({ backwardWeights: 'per-step', memory: { fits: false } });
  expect(tooTight.memory.advice.length).toBeGreaterThan(0);
});

test('the CPU EPs keep one layout; bad shapes are refused naming the field', async () => {
  expect((await planTraining(model, { ...setup, ep: 'wasm' }, backends)).backwardWeights).toBe('per-step');
  await expect(planTraining(model, { ...setup, ep: 'node' }, backends)).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('available: webgpu, wasm') as unknown });
  await expect(planTraining(model, { ...setup, batchSize: 0 }, backends)).rejects.toMatchObject({ kind: 'config', message: 'batch size must be a positive whole number, not 0' });
  await expect(planTraining(model, { ...setup, seqLen: 65 }, backends)).rejects.toMatchObject({ kind: 'config' });
});

describe('length buckets', () => {
  const long = loadRandomModel({ kind: 'random', label: 'tiny, context 256', config: { ...config, max_position_embeddings: 256 }, seed: 1 });
  const at = { ...setup, seqLen: 256 };

  test('default: 64, 128, ... below the sequence length, then it; none below 64; as asked; off', async () => {
    expect((await planTraining(long, at, backends)).lengthBuckets).toEqual([64, 128, 256]);
    expect((await planTraining(long, { ...at, seqLen: 200 }, backends)).lengthBuckets).toEqual([64, 128, 200]);
    expect((await planTraining(model, setup, backends)).lengthBuckets).toEqual([16]);
    expect((await planTraining(long, { ...at, ep: 'wasm' }, backends)).lengthBuckets).toEqual([64, 128, 256]);
    expect((await planTraining(long, { ...at, lengthBuckets: [96, 32, 32] }, backends)).lengthBuckets).toEqual([32, 96, 256]);
    expect((await planTraining(long, { ...at, lengthBuckets: 'off' }, backends)).lengthBuckets).toEqual([256]);
    await expect(planTraining(long, { ...at, lengthBuckets: [0] }, backends)).rejects.toMatchObject({ kind: 'config', message: 'a length bucket must be a positive whole number, not 0' });
    await expect(planTraining(long, { ...at, lengthBuckets: [300] }, backends)).rejects.toMatchObject({ kind: 'config', message: 'the length bucket 300 is longer than the sequence length (256)' });
  });

  test('captured, each bucket keeps its buffers: counted, and the default drops buckets that do not fit where none would', async () => {
    const peakOf = async (s: TrainingSetup) => (await planTraining(long, s, backends)).memory.peakBytes;
    const [bucketed, off] = [await peakOf(at), await peakOf({ ...at, lengthBuckets: 'off' })];
    // The 64 and 128 buckets' activations: more than none, less than two more of the 256 one's.
    expect(bucketed).toBeGreaterThan(off);
    expect(bucketed - off).toBeLessThan(off);
    // Uncaptured, a session's buffers are free-listed after its run: the longest bucket sets the peak.
    expect(await peakOf({ ...at, graphCapture: false })).toBe(await peakOf({ ...at, graphCapture: false, lengthBuckets: 'off' }));
    const budget = Math.round((bucketed + off) / 2);
    const tight = await planTraining(long, { ...at, memoryBudgetBytes: budget }, backends);
    expect(tight).toMatchObject({ lengthBuckets: [256], memory: { fits: true, peakBytes: off } });
    // Asked for, they are kept, and the advice says what to turn off.
    const asked = await planTraining(long, { ...at, memoryBudgetBytes: budget, lengthBuckets: [64, 128] }, backends);
    expect(asked.lengthBuckets).toEqual([64, 128, 256]);
    expect(asked.memory.fits).toBe(false);
    expect(asked.memory.advice).toContain('length buckets off');
  });
});
