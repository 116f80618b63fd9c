import { expect, test } from 'vitest';
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
