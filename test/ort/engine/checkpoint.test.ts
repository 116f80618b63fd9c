// Resuming a training run from a checkpoint makes the updates the uninterrupted run makes (same losses, same adapter);
// a run split into several train calls is the same run; a checkpoint of another setup is refused; a diverged loss
// stops the run with kind 'diverged'.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { LrSchedule, ModelSource, TrainExample, TrainingSetup } from '../../../src/engine/engine.ts';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import { sampleSequences } from '../../../src/models/batch.ts';

const config = JSON.parse(readFileSync('test/fixtures/tiny-llama/config.json', 'utf8')) as Record<string, unknown>;
const source: ModelSource = { kind: 'random', label: 'tiny-llama (random)', config, seed: 7 };
const setup: TrainingSetup = { lora: { r: 4, alpha: 8, targets: ['q', 'v', 'down'] }, batchSize: 2, seqLen: 8, ep: 'node', seed: 5 };
const examples: TrainExample[] = sampleSequences({ count: 7, seqLen: 8, vocabSize: config['vocab_size'] as number, seed: 2 });
const lr: LrSchedule = { peak: 2e-2, warmupSteps: 2, decay: 'linear' };

async function withEngine<T>(work: (engine: ReturnType<typeof nodeEngine>) => Promise<T>): Promise<T> {
  const engine = nodeEngine({ threads: 1 });
  try {
    await engine.load(source);
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}

test('a run resumed from its step-4 checkpoint in a new engine makes the same updates as the uninterrupted run', async () => {
  const whole = await withEngine(async (engine) => {
    await engine.prepareTraining(setup);
    const { losses } = await engine.train({ examples, steps: 9, lr });
    return { losses, adapter: await engine.readAdapter() };
  });
  const split = await withEngine(async (engine) => {
    await engine.prepareTraining(setup);
    const first = await engine.train({ examples, steps: 4, lr, totalSteps: 9 });
    return { first: first.losses, checkpoint: await engine.readCheckpoint() };
  });
  expect(split.checkpoint.step).toBe(4);
  expect(split.first).toEqual(whole.losses.slice(0, 4));
  const resumed = await withEngine(async (engine) => {
    const info = await engine.prepareTraining({ ...setup, checkpoint: split.checkpoint });
    expect(info.step).toBe(4);
    const steps: number[] = [];
    // In two calls (an evaluation or a pause between them), continuing the count.
    const a = await engine.train({ examples, steps: 2, lr, totalSteps: 9 }, { onProgress: (p) => steps.push(p.step) });
    const b = await engine.train({ examples, steps: 3, lr, totalSteps: 9 }, { onProgress: (p) => steps.push(p.step) });
    expect(steps).toEqual([5, 6, 7, 8, 9]);
    expect(b.step).toBe(9);
    return { losses: [...a.losses, ...b.losses], adapter: await engine.readAdapter() };
  });
  expect(resumed.losses).toEqual(whole.losses.slice(4));
  expect(Buffer.compare(resumed.adapter.weights, whole.adapter.weights)).toBe(0);
});

test('a checkpoint of another LoRA setup or model is refused with what differs', async () => {
  const checkpoint = await withEngine(async (engine) => {
    await engine.prepareTraining(setup);
    await engine.train({ examples, steps: 1, lr: 1e-2 });
    return engine.readCheckpoint();
  });
  await withEngine(async (engine) => {
    await expect(engine.prepareTraining({ ...setup, lora: { r: 2, alpha: 4, targets: ['q', 'v', 'down'] }, checkpoint })).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining('LoRA settings') as unknown,
    });
    await expect(engine.prepareTraining({ ...setup, checkpoint: { ...checkpoint, step: 3 } })).rejects.toMatchObject({ message: expect.stringContaining('says step 1') as unknown });
    await expect(engine.prepareTraining({ ...setup, checkpoint: { step: 1, state: new Uint8Array(16) } })).rejects.toMatchObject({ kind: 'config' });
  });
  const other = nodeEngine({ threads: 1 });
  try {
    await other.load({ ...source, label: 'another model' });
    await expect(other.prepareTraining({ ...setup, checkpoint })).rejects.toMatchObject({ message: expect.stringContaining('not another model') as unknown });
  } finally {
    await other.dispose();
  }
});

test('a NaN or infinite loss stops the run with kind diverged, naming the step', async () => {
  await withEngine(async (engine) => {
    await engine.prepareTraining({ ...setup, maxGradNorm: null });
    const seen: number[] = [];
    const error: unknown = await engine.train({ examples, steps: 30, lr: 1e30 }, { onProgress: (p) => seen.push(p.loss) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'diverged', message: expect.stringMatching(/the loss at step \d+ is (NaN|Infinity|-Infinity)/) as unknown });
    for (const loss of seen) expect(Number.isFinite(loss)).toBe(true);
  });
});
