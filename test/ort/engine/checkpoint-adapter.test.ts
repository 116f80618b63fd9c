// Inference with a run's checkpoint (InferenceAdapter { kind: 'checkpoint' }): the adapter it holds is the trained
// one, so an engine without the training prepared (a studio reloaded) scores as the engine that trained it does; a
// checkpoint of another model is refused.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { checkpointAdapter } from '../../../src/engine/checkpoint.ts';
import type { ModelSource, TrainExample, TrainingSetup } from '../../../src/engine/engine.ts';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import { readPeftAdapter } from '../../../src/engine/peft-adapter.ts';
import { sampleSequences } from '../../../src/models/batch.ts';
import { parseModelConfig } from '../../../src/models/config.ts';

const json = JSON.parse(readFileSync('test/fixtures/tiny-llama/config.json', 'utf8')) as Record<string, unknown>;
const source: ModelSource = { kind: 'random', label: 'tiny-llama (random)', config: json, seed: 7 };
const setup: TrainingSetup = { lora: { r: 4, alpha: 8, targets: ['q', 'v', 'down'] }, batchSize: 2, seqLen: 8, ep: 'node', seed: 5 };
const examples: TrainExample[] = sampleSequences({ count: 6, seqLen: 8, vocabSize: json['vocab_size'] as number, seed: 2 });
const probe: TrainExample[] = sampleSequences({ count: 3, seqLen: 8, vocabSize: json['vocab_size'] as number, seed: 11 });

test('a checkpoint scores as the trained adapter it was read from, in the engine that trained it and in a fresh one', async () => {
  const engine = nodeEngine({ threads: 1 });
  await engine.load(source);
  await engine.prepareTraining(setup);
  await engine.train({ examples, steps: 3, lr: 5e-2 });
  const checkpoint = await engine.readCheckpoint();
  const trained = await engine.score({ examples: probe, adapter: { kind: 'trained' }, ep: 'node' });
  const fromCheckpoint = await engine.score({ examples: probe, adapter: { kind: 'checkpoint', checkpoint }, ep: 'node' });
  const base = await engine.score({ examples: probe, adapter: { kind: 'none' }, ep: 'node' });
  // The tensors equal the PEFT export's, name for name.
  const config = parseModelConfig(json);
  const exported = readPeftAdapter(await engine.readAdapter(), config).tensors;
  const read = checkpointAdapter(checkpoint, config, source.label);
  expect([...read.tensors.keys()].sort()).toEqual([...exported.keys()].sort());
  for (const [name, data] of exported) expect(read.tensors.get(name), name).toEqual(data);
  await engine.dispose();

  const fresh = nodeEngine({ threads: 1 });
  try {
    await fresh.load(source);
    const reloaded = await fresh.score({ examples: probe, adapter: { kind: 'checkpoint', checkpoint }, ep: 'node' });
    for (const [i, s] of trained.entries()) {
      expect(fromCheckpoint[i]!.logprob).toBeCloseTo(s.logprob, 5);
      expect(reloaded[i]!.logprob).toBeCloseTo(s.logprob, 5);
    }
    // Three steps at this rate move the scores: the checkpoint's adapter is not the base model.
    expect(Math.max(...trained.map((s, i) => Math.abs(s.logprob - base[i]!.logprob)))).toBeGreaterThan(1e-3);
  } finally {
    await fresh.dispose();
  }

  const other = nodeEngine({ threads: 1 });
  try {
    await other.load({ ...source, label: 'another model' });
    await expect(other.score({ examples: probe, adapter: { kind: 'checkpoint', checkpoint }, ep: 'node' })).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining('not another model') as unknown,
    });
  } finally {
    await other.dispose();
  }
});

test("checkpointAdapter: a stored checkpoint made into PEFT's files is the engine's own export, with no training prepared", async () => {
  const engine = nodeEngine({ threads: 1 });
  let checkpoint: Awaited<ReturnType<typeof engine.readCheckpoint>>;
  let exported: Awaited<ReturnType<typeof engine.readAdapter>>;
  try {
    await engine.load(source);
    await engine.prepareTraining(setup);
    await engine.train({ examples, steps: 2, lr: 5e-2 });
    checkpoint = await engine.readCheckpoint();
    exported = await engine.readAdapter();
  } finally {
    await engine.dispose();
  }
  const fresh = nodeEngine({ threads: 1 });
  try {
    await fresh.load(source);
    const made = await fresh.checkpointAdapter(checkpoint);
    expect(made.config).toEqual(exported.config);
    expect(made.weights).toEqual(exported.weights);
    await fresh.load({ ...source, label: 'another model' });
    await expect(fresh.checkpointAdapter(checkpoint)).rejects.toMatchObject({ kind: 'config' });
  } finally {
    await fresh.dispose();
  }
});
