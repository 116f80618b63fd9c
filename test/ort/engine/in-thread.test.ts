// The in-thread engine on the CPU backends: load (random weights, a model folder), prepare, train, evaluate,
// adapters out and back in, cancellation, and a failed load that keeps the model loaded before it.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import type { ModelSource, TrainExample, TrainingSetup } from '../../../src/engine/engine.ts';
import { EngineError } from '../../../src/engine/errors.ts';
import { sampleSequences } from '../../../src/models/batch.ts';

const fixtureConfig = JSON.parse(readFileSync('test/fixtures/tiny-llama/config.json', 'utf8')) as Record<string, unknown>;
const random: ModelSource = { kind: 'random', label: 'tiny-llama (random)', config: fixtureConfig, seed: 7 };
const vocab = fixtureConfig['vocab_size'] as number;
const setup: TrainingSetup = { lora: { r: 4, alpha: 8, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] }, batchSize: 4, seqLen: 8, ep: 'node', seed: 3 };
const examples: TrainExample[] = sampleSequences({ count: 6, seqLen: 8, vocabSize: vocab, seed: 1 });

const files = (entries: Record<string, string | Uint8Array>): ModelSource => ({
  kind: 'files',
  label: 'fixture folder',
  files: Object.entries(entries).map(([name, data]) => ({ name, blob: new Blob([typeof data === 'string' ? data : new Uint8Array(data)]) })),
});
const tinyLlamaFolder = files({
  'config.json': readFileSync('test/fixtures/tiny-llama/config.json', 'utf8'),
  'model.safetensors': readFileSync('test/fixtures/tiny-llama/model.safetensors'),
});

test('train on random weights: the loss falls, the adapter exported as PEFT files loads back with the same loss', async () => {
  const engine = nodeEngine({ threads: 1 });
  try {
    const info = await engine.load(random);
    expect(info).toMatchObject({ source: 'random', randomWeights: true, hasTokenizer: false, architecture: 'LlamaForCausalLM' });
    const prepared = await engine.prepareTraining(setup);
    expect(prepared.microBatches).toBe(1);
    const initial = await engine.evaluate(examples);
    const progress: number[] = [];
    const result = await engine.train({ examples, steps: 30, lr: 1e-2 }, { onProgress: (p) => progress.push(p.step) });
    expect(progress).toEqual(result.losses.map((_, i) => i + 1));
    const before = await engine.evaluate(examples);
    expect(before.loss).toBeLessThan(0.95 * initial.loss);
    const adapter = await engine.readAdapter();
    expect(adapter.config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, base_model_name_or_path: 'tiny-llama (random)' });
    // A fresh setup starts from PEFT's init (B = 0): another loss; loading the adapter restores the trained one.
    await engine.prepareTraining(setup);
    expect((await engine.evaluate(examples)).loss).toBeCloseTo(initial.loss, 5);
    await engine.loadAdapter(adapter);
    expect((await engine.evaluate(examples)).loss).toBeCloseTo(before.loss, 5);
    // An adapter of another rank is refused, and the prepared setup (with the adapter loaded) stays.
    await engine.prepareTraining({ ...setup, lora: { ...setup.lora, r: 2, alpha: 4 } });
    const other = await engine.readAdapter();
    await engine.prepareTraining(setup);
    await engine.loadAdapter(adapter);
    await expect(engine.loadAdapter(other)).rejects.toMatchObject({ kind: 'config', message: expect.stringContaining('r=2') as unknown });
    expect((await engine.evaluate(examples)).loss).toBeCloseTo(before.loss, 5);
  } finally {
    await engine.dispose();
  }
});

test('a failed load names the file and keeps the model loaded before it', async () => {
  const engine = nodeEngine({ threads: 1 });
  try {
    await engine.load(tinyLlamaFolder, { requireTokenizer: false });
    const truncated = readFileSync('test/fixtures/tiny-llama/model.safetensors').subarray(0, 200);
    const bad = files({ 'config.json': readFileSync('test/fixtures/tiny-llama/config.json', 'utf8'), 'model.safetensors': truncated });
    await expect(engine.load(bad, { requireTokenizer: false })).rejects.toMatchObject({ kind: 'weights' });
    await expect(engine.load(tinyLlamaFolder)).rejects.toMatchObject({ kind: 'tokenizer', message: expect.stringContaining('tokenizer.json') as unknown });
    const unsupported = files({ 'config.json': JSON.stringify({ ...fixtureConfig, architectures: ['MistralForCausalLM'] }), 'model.safetensors': new Uint8Array() });
    await expect(engine.load(unsupported, { requireTokenizer: false })).rejects.toMatchObject({ kind: 'config' });
    expect((await engine.describe()).label).toBe('fixture folder');
  } finally {
    await engine.dispose();
  }
});

test('cancelling a run stops between steps, keeps the steps done, and rejects as cancelled', async () => {
  const engine = nodeEngine({ threads: 1 });
  try {
    await engine.load(random);
    await engine.prepareTraining(setup);
    const controller = new AbortController();
    const run = engine.train({ examples, steps: 50, lr: 1e-2 }, { signal: controller.signal, onProgress: (p) => p.step === 3 && controller.abort() });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ kind: 'cancelled' });
    const done = Number(/after (\d+) of 50/.exec((error as Error).message)?.[1]);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(50);
    // The engine is usable afterwards and continues from the steps done.
    expect((await engine.train({ examples, steps: 1, lr: 1e-2 })).step).toBe(done + 1);
  } finally {
    await engine.dispose();
  }
});

test('bad settings and bad examples get messages that say what to change', async () => {
  const engine = nodeEngine({ threads: 1 });
  try {
    await expect(engine.prepareTraining(setup)).rejects.toMatchObject({ kind: 'usage', message: 'no model is loaded' });
    // Before a download: the estimate for a config (inspect's), with no model loaded.
    const estimate = await engine.estimateMemory({ ...setup, memoryBudgetBytes: 1 }, { config: fixtureConfig });
    expect(estimate).toMatchObject({ fits: false, budgetBytes: 1 });
    expect(estimate.advice.length).toBeGreaterThan(0);
    await expect(engine.estimateMemory(setup, { config: { ...fixtureConfig, architectures: ['GPT2LMHeadModel'] } })).rejects.toMatchObject({ kind: 'config' });
    await engine.load(random);
    await expect(engine.prepareTraining({ ...setup, seqLen: 4096 })).rejects.toMatchObject({ kind: 'config', message: expect.stringContaining('context') as unknown });
    await expect(engine.prepareTraining({ ...setup, microBatchSize: 8 })).rejects.toMatchObject({ kind: 'config' });
    await expect(engine.prepareTraining({ ...setup, lora: { ...setup.lora, targets: ['q', 'qq'] } })).rejects.toMatchObject({ kind: 'config' });
    await engine.prepareTraining(setup);
    const long = [{ tokens: Array.from({ length: 11 }, () => 1), promptLength: 2 }];
    await expect(engine.train({ examples: long, steps: 1, lr: 1e-3 })).rejects.toMatchObject({ message: 'example 1 has 11 tokens, 3 more than the sequence length 8' });
    await expect(engine.train({ examples: [{ prompt: 'a', completion: 'b' }], steps: 1, lr: 1e-3 })).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('no tokenizer') as unknown });
  } finally {
    await engine.dispose();
  }
});

test('micro-batches give the same steps as whole batches (gradients accumulate)', async () => {
  const run = async (microBatchSize: number) => {
    const engine = nodeEngine({ threads: 1 });
    try {
      await engine.load(random);
      const prepared = await engine.prepareTraining({ ...setup, microBatchSize });
      const { losses } = await engine.train({ examples, steps: 4, lr: 1e-2 });
      const adapter = await engine.readAdapter();
      return { losses, adapter: Array.from(new Float32Array(adapter.weights.slice(adapter.weights.length - 4 * 64).buffer)), microBatches: prepared.microBatches };
    } finally {
      await engine.dispose();
    }
  };
  const whole = await run(4);
  const micro = await run(2);
  const odd = await run(3); // 4 rows as 3 + 1 (the second micro-batch mostly padding)
  expect([whole.microBatches, micro.microBatches, odd.microBatches]).toEqual([1, 2, 2]);
  for (const other of [micro, odd]) {
    other.losses.forEach((l, i) => expect(l).toBeCloseTo(whole.losses[i]!, 5));
    other.adapter.forEach((v, i) => expect(v).toBeCloseTo(whole.adapter[i]!, 5));
  }
});

test('length buckets: the same losses and adapter as every batch padded to the sequence length, on fewer positions', async () => {
  // Rows of 3 to 32 tokens in a 32-token setup: the buckets 8 and 16 hold most micro-batches.
  const mixed: TrainExample[] = [3, 30, 5, 7, 12, 4, 6, 15, 9, 3, 20, 8].map((length, i) => ({
    tokens: Array.from({ length }, (_, t) => (7 * i + 3 * t) % vocab),
    promptLength: Math.max(1, Math.floor(length / 3)),
  }));
  const run = async (lengthBuckets: readonly number[] | 'off') => {
    const engine = nodeEngine({ threads: 1 });
    try {
      await engine.load(random);
      const prepared = await engine.prepareTraining({ ...setup, seqLen: 32, microBatchSize: 2, lengthBuckets });
      const progress: { tokens: number; positions: number }[] = [];
      const { losses } = await engine.train({ examples: mixed, steps: 5, lr: 1e-2 }, { onProgress: (p) => progress.push({ tokens: p.tokens, positions: p.positions }) });
      const adapter = await engine.readAdapter();
      const evaluation = await engine.evaluate(mixed);
      return { losses, adapter: Array.from(new Float32Array(adapter.weights.slice(adapter.weights.length - 4 * 64).buffer)), buckets: prepared.lengthBuckets, progress, evaluation };
    } finally {
      await engine.dispose();
    }
  };
  const padded = await run('off');
  const bucketed = await run([8, 16]);
  expect([padded.buckets, bucketed.buckets]).toEqual([[32], [8, 16, 32]]);
  bucketed.losses.forEach((l, i) => expect(l).toBeCloseTo(padded.losses[i]!, 5));
  bucketed.adapter.forEach((v, i) => expect(v).toBeCloseTo(padded.adapter[i]!, 5));
  expect(bucketed.evaluation.loss).toBeCloseTo(padded.evaluation.loss, 5);
  const sum = (p: typeof padded.progress, key: 'tokens' | 'positions') => p.reduce((a, s) => a + s[key], 0);
  expect(bucketed.progress.map((p) => p.tokens)).toEqual(padded.progress.map((p) => p.tokens));
  // 5 steps of 2 micro-batches of 2 rows of 32 padded; bucketed, about half of that (the data order's pairs: 336).
  expect(sum(padded.progress, 'positions')).toBe(5 * 4 * 32);
  expect(sum(bucketed.progress, 'positions')).toBeLessThan(sum(padded.progress, 'positions') * 0.6);
  expect(sum(bucketed.progress, 'positions')).toBeGreaterThanOrEqual(sum(bucketed.progress, 'tokens'));
});
