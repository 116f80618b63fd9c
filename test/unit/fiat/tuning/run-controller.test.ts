// The tuning run controller over a scripted engine: where segments end, what each way of stopping saves and reports.
import { describe, expect, test } from 'vitest';
import type { TrainingCheckpoint, TrainRequest, TrainResult } from '../../../../src/engine/engine.ts';
import { EngineError } from '../../../../src/engine/errors.ts';
import { nextStop, TuningRunController, type RunEvent, type RunPlan } from '../../../../src/fiat/tuning/run-controller.ts';

const plan: RunPlan = {
  setup: { lora: { r: 4, alpha: 8, targets: ['q'] }, batchSize: 2, seqLen: 8, ep: 'wasm' },
  totalSteps: 10,
  lr: 1e-3,
  seed: 0,
  evalEvery: 4,
  checkpointEvery: 3,
};

test('segments end at the next evaluation, checkpoint or the end', () => {
  expect(nextStop(0, plan)).toBe(3);
  expect(nextStop(3, plan)).toBe(4);
  expect(nextStop(4, plan)).toBe(6);
  expect(nextStop(8, plan)).toBe(9);
  expect(nextStop(9, plan)).toBe(10);
  expect(nextStop(0, { totalSteps: 7, evalEvery: 0, checkpointEvery: 0 })).toBe(7);
});

/** An engine whose train runs steps one by one and fails as told at a step. */
function scripted(failAt?: { step: number; error: EngineError }) {
  let step = 0;
  const calls: { steps: number; totalSteps: number | undefined }[] = [];
  const engine = {
    prepareTraining: (setup: { checkpoint?: TrainingCheckpoint }) => {
      step = setup.checkpoint?.step ?? 0;
      return Promise.resolve({ step } as never);
    },
    train: (request: TrainRequest, options?: { signal?: AbortSignal; onProgress?: (p: never) => void }): Promise<TrainResult> => {
      calls.push({ steps: request.steps, totalSteps: request.totalSteps });
      const losses: number[] = [];
      for (let i = 0; i < request.steps; i++) {
        if (options?.signal?.aborted) return Promise.reject(new EngineError('cancelled', 'cancelled'));
        if (failAt && step + 1 === failAt.step) return Promise.reject(failAt.error);
        step++;
        losses.push(1 / step);
        options?.onProgress?.({ step, steps: request.totalSteps, loss: 1 / step, lr: 1e-3, tokens: 4, elapsedMs: 0 } as never);
      }
      return Promise.resolve({ losses, step });
    },
    readCheckpoint: () => Promise.resolve({ step, state: new Uint8Array([step]) }),
  };
  return { engine, calls };
}

function controllerFor(engine: ReturnType<typeof scripted>['engine'], stopAt?: { step: number; how: 'pause' | 'cancel' }) {
  const events: RunEvent<string>[] = [];
  const saved: number[] = [];
  const discardFrom = (step: number) => {
    saved.splice(0, saved.length, ...saved.filter((s) => s < step));
    return Promise.resolve(saved.at(-1) ?? null);
  };
  const controller: TuningRunController<string> = new TuningRunController(plan, {
    engine,
    examples: [{ tokens: [1, 2, 3], promptLength: 1 }],
    evaluate: (step) => Promise.resolve(`metrics at ${step}`),
    checkpoints: { save: (c) => Promise.resolve(void saved.push(c.step)), discardFrom },
    onEvent: (event) => {
      events.push(event);
      if (stopAt && event.type === 'step' && event.progress.step === stopAt.step) controller[stopAt.how]();
    },
  });
  return { controller, events, saved };
}

describe('a run', () => {
  test('to the end: evaluations at 0, every 4 and the end; checkpoints every 3 and at the end; train told the whole length', async () => {
    const { engine, calls } = scripted();
    const { controller, events, saved } = controllerFor(engine);
    expect(await controller.start()).toEqual({ status: 'done', step: 10 });
    expect(events.filter((e) => e.type === 'evaluation').map((e) => e.step)).toEqual([0, 4, 8, 10]);
    expect(saved).toEqual([3, 6, 9, 10]);
    expect(calls.map((c) => c.steps)).toEqual([3, 1, 2, 2, 1, 1]);
    expect(new Set(calls.map((c) => c.totalSteps))).toEqual(new Set([10]));
    expect(events.at(-1)).toEqual({ type: 'status', status: 'done' });
  });

  test('paused: a checkpoint where it stopped; resumed from it, it goes on without a second step-0 evaluation', async () => {
    const { engine } = scripted();
    const first = controllerFor(engine, { step: 5, how: 'pause' });
    expect(await first.controller.start()).toEqual({ status: 'paused', step: 5 });
    expect(first.saved).toEqual([3, 5]);
    const second = controllerFor(engine);
    expect(await second.controller.start({ step: 5, state: new Uint8Array([5]) })).toEqual({ status: 'done', step: 10 });
    expect(second.events.filter((e) => e.type === 'evaluation').map((e) => e.step)).toEqual([8, 10]);
    expect(second.saved).toEqual([6, 9, 10]);
  });

  test('cancelled: nothing saved at the stop', async () => {
    const { engine } = scripted();
    const { controller, saved } = controllerFor(engine, { step: 5, how: 'cancel' });
    expect((await controller.start()).status).toBe('cancelled');
    expect(saved).toEqual([3]);
  });

  test('diverged at step 7: the checkpoint of step 6 (whose weights gave the NaN) is dropped; the message names step 3, the last good one', async () => {
    const { engine } = scripted({ step: 7, error: new EngineError('diverged', 'the loss at step 7 is NaN') });
    const { controller, saved, events } = controllerFor(engine);
    const outcome = await controller.start();
    expect(outcome).toMatchObject({ status: 'diverged', step: 6, checkpointStep: 3 });
    expect(outcome.message).toMatch(/^the loss at step 7 is NaN\. The run stopped at its last good checkpoint, step 3 \(the weights after step 6 gave that loss\)\. .*lower the learning rate and start a new run\.$/);
    expect(saved).toEqual([3]);
    expect(events.at(-1)).toEqual({ type: 'status', status: 'diverged', message: outcome.message });
  });

  test('diverged before any good checkpoint: none is left, and the message says so', async () => {
    const { engine } = scripted({ step: 4, error: new EngineError('diverged', 'the loss at step 4 is Infinity') });
    const { controller, saved } = controllerFor(engine);
    const outcome = await controller.start();
    expect(outcome).toMatchObject({ status: 'diverged', step: 3, checkpointStep: null });
    expect(outcome.message).toContain('No good checkpoint is left (the weights after step 3 gave that loss).');
    expect(saved).toEqual([]);
  });

  test('diverged at the first step after a resume: the checkpoint resumed from is the bad one', async () => {
    const { engine } = scripted({ step: 7, error: new EngineError('diverged', 'the loss at step 7 is NaN') });
    const { controller, saved } = controllerFor(engine);
    saved.push(3, 6);
    const outcome = await controller.start({ step: 6, state: new Uint8Array([6]) });
    expect(outcome).toMatchObject({ status: 'diverged', step: 6, checkpointStep: 3 });
    expect(saved).toEqual([3]);
  });

  test.each([
    ['device-lost', new EngineError('device-lost', 'the GPU device was lost'), 'The GPU device was lost at step 6; the run paused at its last checkpoint (step 6).'],
    ['failed', new EngineError('internal', 'boom'), 'boom'],
  ] as const)('%s: reported with its message, the checkpoints before it kept', async (status, error, message) => {
    const { engine } = scripted({ step: 7, error });
    const { controller, saved, events } = controllerFor(engine);
    const outcome = await controller.start();
    expect(outcome.status).toBe(status);
    expect(outcome.message).toContain(message);
    expect(saved).toEqual([3, 6]);
    expect(events.at(-1)).toMatchObject({ type: 'status', status });
  });

  test.each([
    ['before the first checkpoint', 2, undefined, "The GPU device was lost at step 1, before the run's first checkpoint; resuming starts it again from step 0."],
    ['after a checkpoint, mid-segment', 5, undefined, 'The GPU device was lost at step 4; the run paused at its last checkpoint (step 3).'],
    ['in a resumed run, before its next checkpoint', 6, 4, 'The GPU device was lost at step 5; the run paused at its last checkpoint (step 4).'],
  ] as const)('device-lost %s: the message names the step reached and the checkpoint to resume from', async (_when, failStep, from, message) => {
    const { engine } = scripted({ step: failStep, error: new EngineError('device-lost', 'lost') });
    const { controller } = controllerFor(engine);
    const outcome = await controller.start(from === undefined ? undefined : { step: from, state: new Uint8Array([from]) });
    expect(outcome).toEqual({ status: 'device-lost', step: failStep - 1, message });
  });

  test('a bad plan is refused when the controller is made', () => {
    const { engine } = scripted();
    expect(() => new TuningRunController({ ...plan, totalSteps: 0 }, { engine, examples: [], evaluate: () => Promise.resolve(0), checkpoints: { save: () => Promise.resolve(), discardFrom: () => Promise.resolve(null) }, onEvent: () => undefined })).toThrow(/steps must be/);
  });
});
