// Full-weight training through the engine (TrainingSetup.allWeights): every weight moves, the loss falls, the tuned
// model scores the same from the live run, from its checkpoint in a fresh engine and from its exported files; the
// adapter paths refuse it, and a LoRA checkpoint is refused by the model export. The PyTorch reference for the
// updates themselves is test/ort/models/full-weights.test.ts.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { ModelSource, TrainExample, TrainingSetup } from '../../../src/engine/engine.ts';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import { checkpointParameters } from '../../../src/models/architecture.ts';
import { sampleSequences } from '../../../src/models/batch.ts';
import { parseModelConfig } from '../../../src/models/config.ts';
import { readSafetensors } from '../../../src/models/safetensors.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';

const json = JSON.parse(readFileSync('test/fixtures/tiny-qwen2/config.json', 'utf8')) as Record<string, unknown>;
const source: ModelSource = { kind: 'random', label: 'tiny-qwen2 (random)', config: json, seed: 7 };
const lora = { r: 4, alpha: 8, targets: ['q', 'v'] };
const setup: TrainingSetup = { lora, allWeights: true, batchSize: 2, seqLen: 8, ep: 'node', seed: 5, weightDecay: 0 };
const vocabSize = json['vocab_size'] as number;
const examples: TrainExample[] = sampleSequences({ count: 4, seqLen: 8, vocabSize, seed: 2 });
const probe: TrainExample[] = sampleSequences({ count: 3, seqLen: 8, vocabSize, seed: 11 });

test('all weights train: the loss falls, every tensor moves, and the tuned model scores the same live, from its checkpoint and from its files', async () => {
  const config = parseModelConfig(json);
  const engine = nodeEngine({ threads: 1 });
  let checkpoint;
  let live;
  let files;
  try {
    await engine.load(source);
    const info = await engine.prepareTraining(setup);
    const params = checkpointParameters(config);
    expect(info.trainableParameters).toBe(params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0));
    const { losses } = await engine.train({ examples, steps: 6, lr: 1e-2 });
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    await expect(engine.readAdapter()).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('trains all weights') as unknown });
    checkpoint = await engine.readCheckpoint();
    await expect(engine.checkpointAdapter(checkpoint)).rejects.toMatchObject({ kind: 'usage' });
    live = await engine.score({ examples: probe, adapter: { kind: 'trained' }, ep: 'node' });
    const base = await engine.score({ examples: probe, adapter: { kind: 'none' }, ep: 'node' });
    expect(Math.max(...live.map((s, i) => Math.abs(s.logprob - base[i]!.logprob)))).toBeGreaterThan(1e-3);
    files = await engine.checkpointModel(checkpoint);
  } finally {
    await engine.dispose();
  }

  // The export: config.json as loaded, and every checkpoint tensor, each moved from its initial value.
  expect(files.files.map((f) => f.name)).toEqual(['config.json', 'model.safetensors']);
  expect(JSON.parse(new TextDecoder().decode(files.files[0]!.bytes))).toEqual(json);
  const tuned = readSafetensors(files.files[1]!.bytes, 'model.safetensors');
  expect(tuned.metadata['format']).toBe('pt');
  const initial = randomBaseWeights(config, 7);
  for (const p of checkpointParameters(config)) {
    const data = tuned.float32(p.name);
    expect([...tuned.tensors.get(p.name)!.shape], p.name).toEqual([...p.shape]);
    const moved = data.some((v, i) => Math.abs(v - initial.get(p.name)![i]!) > 1e-6);
    expect(moved, `${p.name} moved`).toBe(true);
  }

  // A fresh engine: the checkpoint scores as the live run did; the exported files load as a model that scores the same.
  const fresh = nodeEngine({ threads: 1 });
  try {
    await fresh.load(source);
    const fromCheckpoint = await fresh.score({ examples: probe, adapter: { kind: 'checkpoint', checkpoint }, ep: 'node' });
    for (const [i, s] of live.entries()) expect(fromCheckpoint[i]!.logprob).toBeCloseTo(s.logprob, 4);
    await fresh.load({ kind: 'files', label: 'tuned', files: files.files.map((f) => ({ name: f.name, blob: new Blob([new Uint8Array(f.bytes)]) })) }, { requireTokenizer: false });
    const fromFiles = await fresh.score({ examples: probe, adapter: { kind: 'none' }, ep: 'node' });
    for (const [i, s] of live.entries()) expect(fromFiles[i]!.logprob).toBeCloseTo(s.logprob, 4);
  } finally {
    await fresh.dispose();
  }
});

test('a LoRA checkpoint is not a model, and a full-weight run cannot start from or load a PEFT adapter', async () => {
  const engine = nodeEngine({ threads: 1 });
  try {
    await engine.load(source);
    await engine.prepareTraining({ ...setup, allWeights: false });
    await engine.train({ examples, steps: 1, lr: 1e-2 });
    const adapter = await engine.readAdapter();
    await expect(engine.checkpointModel(await engine.readCheckpoint())).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('LoRA adapter') as unknown });
    await expect(engine.prepareTraining({ ...setup, adapter })).rejects.toMatchObject({ kind: 'usage' });
    await engine.prepareTraining(setup);
    await expect(engine.loadAdapter(adapter)).rejects.toMatchObject({ kind: 'usage' });
  } finally {
    await engine.dispose();
  }
});

test('the memory estimate of all weights counts the whole model and its moments as trained state', async () => {
  const engine = nodeEngine({ threads: 1 });
  try {
    await engine.load(source);
    const full = await engine.estimateMemory({ ...setup, ep: 'node' });
    const adapterOnly = await engine.estimateMemory({ ...setup, allWeights: false });
    const parameters = checkpointParameters(parseModelConfig(json)).reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
    // The state (weights, m, v) fed in and output: at least 3 x 2 copies of the float32 model.
    expect(full.parts.adapterAndOptimizer).toBeGreaterThanOrEqual(parameters * 4 * 6);
    expect(full.parts.weights).toBe(0);
    expect(full.parts.adapterAndOptimizer).toBeGreaterThan(adapterOnly.parts.adapterAndOptimizer);
  } finally {
    await engine.dispose();
  }
});
