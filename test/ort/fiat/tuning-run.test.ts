// The tuning run controller on the real engine (onnxruntime-node): a run paused part-way and resumed from its saved
// checkpoint in a new engine makes, step for step, the losses of the uninterrupted run; a run forced to diverge stops
// with its last checkpoint kept.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { ModelSource, TrainExample, TrainingCheckpoint } from '../../../src/engine/engine.ts';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import { TuningRunController, type RunEvent, type RunPlan } from '../../../src/fiat/tuning/run-controller.ts';
import { sampleSequences } from '../../../src/models/batch.ts';

const config = JSON.parse(readFileSync('test/fixtures/tiny-llama/config.json', 'utf8')) as Record<string, unknown>;
const source: ModelSource = { kind: 'random', label: 'tiny-llama (random)', config, seed: 7 };
const examples: TrainExample[] = sampleSequences({ count: 9, seqLen: 8, vocabSize: config['vocab_size'] as number, seed: 4 });
const plan: RunPlan = {
  setup: { lora: { r: 4, alpha: 8, targets: ['q', 'v'] }, batchSize: 2, seqLen: 8, ep: 'node', seed: 3 },
  totalSteps: 8,
  lr: { peak: 3e-2, warmupSteps: 2, decay: 'cosine' },
  seed: 3,
  evalEvery: 4,
  checkpointEvery: 2,
};

/** Runs the controller on a fresh engine; `pauseAtStep` pauses when that step's loss arrives. */
async function run(from: TrainingCheckpoint | undefined, options: { pauseAtStep?: number; plan?: RunPlan } = {}) {
  const engine = nodeEngine({ threads: 1 });
  await engine.load(source);
  const losses = new Map<number, number>();
  const saved: TrainingCheckpoint[] = [];
  const events: RunEvent<number>[] = [];
  const controller: TuningRunController<number> = new TuningRunController(options.plan ?? plan, {
    engine,
    examples,
    evaluate: (step) => Promise.resolve(step),
    checkpoints: {
      save: (c) => Promise.resolve(void saved.push(c)),
      discardFrom: (step) => {
        saved.splice(0, saved.length, ...saved.filter((c) => c.step < step));
        return Promise.resolve(saved.at(-1)?.step ?? null);
      },
    },
    onEvent: (event) => {
      events.push(event);
      if (event.type !== 'step') return;
      losses.set(event.progress.step, event.progress.loss);
      if (event.progress.step === options.pauseAtStep) controller.pause();
    },
  });
  try {
    const outcome = await controller.start(from);
    return { outcome, losses, saved, events };
  } finally {
    await engine.dispose();
  }
}

test('paused at step 3 and resumed from its checkpoint in a new engine, the run has the uninterrupted losses step for step', async () => {
  const whole = await run(undefined);
  expect(whole.outcome).toMatchObject({ status: 'done', step: 8 });
  expect([...whole.losses.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(whole.saved.map((c) => c.step)).toEqual([2, 4, 6, 8]);
  expect(whole.events.filter((e) => e.type === 'evaluation').map((e) => e.step)).toEqual([0, 4, 8]);

  const first = await run(undefined, { pauseAtStep: 3 });
  expect(first.outcome.status).toBe('paused');
  const checkpoint = first.saved.at(-1)!;
  // Steps are queued ahead of their losses: the pause lands on a step at or after 3, and the checkpoint is of it.
  expect(checkpoint.step).toBe(first.outcome.step);
  expect(checkpoint.step).toBeGreaterThanOrEqual(3);
  expect(checkpoint.step).toBeLessThan(8);
  const second = await run(checkpoint);
  expect(second.outcome).toMatchObject({ status: 'done', step: 8 });
  // The resumed run does not evaluate at step 0 again, and its steps continue the count.
  expect(second.events.find((e) => e.type === 'evaluation')).toMatchObject({ step: 8 });
  const joined = new Map([...first.losses].filter(([step]) => step <= checkpoint.step));
  for (const [step, loss] of second.losses) joined.set(step, loss);
  expect([...joined.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  for (const [step, loss] of whole.losses) expect(joined.get(step), `step ${step}`).toBe(loss);
});

test('a run forced to a NaN loss stops as diverged at its last good checkpoint: those before the bad weights kept, none after', async () => {
  // Warm-up makes step 1's rate 0, so step 2's loss is finite and the checkpoint of step 1 is a good one.
  const lr = { peak: 1e30, warmupSteps: 4, decay: 'constant' } as const;
  const result = await run(undefined, { plan: { ...plan, lr, setup: { ...plan.setup, maxGradNorm: null }, checkpointEvery: 1, evalEvery: 0 } });
  expect(result.outcome.status).toBe('diverged');
  expect(result.outcome.message).toMatch(/the loss at step \d+ is (NaN|Infinity)/);
  const bad = Number(/step (\d+)/.exec(result.outcome.message!)![1]);
  expect(bad).toBeGreaterThanOrEqual(3);
  // The loss of step `bad` came from the weights after step bad - 1: that checkpoint is dropped, the one before kept.
  expect(result.saved.map((c) => c.step)).toEqual(Array.from({ length: bad - 2 }, (_, i) => i + 1));
  expect(result.outcome.checkpointStep).toBe(bad - 2);
  expect(result.outcome.message).toContain(`The run stopped at its last good checkpoint, step ${bad - 2}`);
  expect(result.events.at(-1)).toMatchObject({ type: 'status', status: 'diverged' });
});
