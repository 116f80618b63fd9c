// The Trainer's residency and disposal contract, with a fake backend (no onnxruntime): state and weights are
// uploaded once, each step's outputs become the next step's inputs and the replaced tensors are disposed,
// nothing but the requested scalars is read, dispose() releases everything, and a lost device fails a run
// that would never settle.
import { describe, expect, test } from 'vitest';
import { buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import { sampleBatch } from '../../../src/models/batch.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { parseLoraSpec } from '../../../src/models/lora.ts';
import type { Backend, HostTensor } from '../../../src/runtime/backend.ts';
import { DeviceLostError, DeviceWatch } from '../../../src/runtime/device-watch.ts';
import type { OrtModule, OrtSession, OrtTensor } from '../../../src/runtime/ort.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { tinyLlamaConfig } from '../../support/tiny-models.ts';

class FakeTensor {
  disposed = false;
  reads = 0;
  constructor(
    readonly origin: string,
    readonly data: Float32Array | Float64Array | BigInt64Array,
  ) {}
  dispose() {
    expect(this.disposed, `${this.origin} disposed twice`).toBe(false);
    this.disposed = true;
  }
  /** As onnxruntime's Tensor.getData: `release` disposes the tensor after reading it. */
  getData(release?: boolean) {
    expect(this.disposed, `${this.origin} read after dispose`).toBe(false);
    this.reads++;
    if (release) this.dispose();
    return Promise.resolve(this.data);
  }
}

function fakeBackend(run?: (feeds: Record<string, FakeTensor>, fetches: string[]) => Promise<Record<string, FakeTensor>>) {
  const tensors: FakeTensor[] = [];
  const runs: { feeds: Record<string, FakeTensor>; fetches: string[] }[] = [];
  let released = 0;
  let lose: (info: { reason: string; message: string }) => void = () => undefined;
  const device = { lost: new Promise((resolve) => (lose = resolve)) } as unknown as GPUDevice;
  const watch = new DeviceWatch(device);
  const make = (origin: string) => (t: HostTensor) => {
    const tensor = new FakeTensor(origin, t.data);
    tensors.push(tensor);
    return tensor as unknown as OrtTensor;
  };
  const outputs: FakeTensor[] = [];
  const defaultRun = (_feeds: Record<string, FakeTensor>, fetches: string[]) => {
    const out = Object.fromEntries(fetches.map((name) => [name, new FakeTensor(`output ${name} of run ${runs.length}`, Float32Array.of(runs.length))]));
    outputs.push(...Object.values(out));
    return Promise.resolve(out);
  };
  const session = {
    run: (feeds: Record<string, FakeTensor>, fetches: string[]) => {
      runs.push({ feeds, fetches });
      return (run ?? defaultRun)(feeds, fetches);
    },
    release: () => {
      released++;
      return Promise.resolve();
    },
  } as unknown as OrtSession;
  const backend: Backend = {
    ep: 'webgpu',
    ort: {} as OrtModule,
    createSession: () => Promise.resolve(session),
    resident: make('resident'),
    host: make('host'),
    watch: () => watch,
    dispose: () => Promise.resolve(),
  };
  return { backend, tensors, outputs, runs, released: () => released, lose };
}

const config = tinyLlamaConfig;
const artifacts = buildTrainingArtifacts({
  config,
  lora: parseLoraSpec({ r: 2, alpha: 4, targets: ['q', 'v'] }),
  batchSize: 1,
  seqLen: 4,
  weights: randomBaseWeights(config, 0),
});
const batch = sampleBatch({ batchSize: 1, seqLen: 4, vocabSize: config.vocabSize });
const updates = Object.entries(artifacts.manifest.trainStep.updates);

describe('Trainer residency', () => {
  test('uploads once, feeds outputs back, disposes what they replace, reads only the loss', async () => {
    const fake = fakeBackend();
    const trainer = await Trainer.create(fake.backend, artifacts);
    const residents = fake.tensors.filter((t) => t.origin === 'resident');
    expect(residents).toHaveLength(3 + artifacts.weights.size);
    const first = await trainer.step(batch, { lr: 1e-3 });
    expect(await first.loss).toBe(1);
    const second = await trainer.step(batch, { lr: 1e-3, readLoss: false });
    expect(second.loss).toBeNull();
    const [run1, run2] = fake.runs;
    expect(run1!.fetches).toEqual(['loss', ...updates.map(([output]) => output)]);
    for (const [output, input] of updates) {
      expect(run1!.feeds[input]!.origin).toBe('resident');
      expect(run1!.feeds[input]!.disposed).toBe(true); // replaced after step 1
      expect(run2!.feeds[input]!.origin).toBe(`output ${output} of run 1`);
      expect(run2!.feeds[input]!.disposed).toBe(true); // replaced after step 2
    }
    // Weights: the same uploaded tensors in every run, never replaced.
    for (const name of artifacts.weights.keys()) {
      expect(run2!.feeds[name]).toBe(run1!.feeds[name]);
      expect(run1!.feeds[name]!.disposed).toBe(false);
    }
    expect(run2!.feeds['step']!.data).toEqual(Float32Array.of(2));
    // Nothing was read back but step 1's loss; step 2's loss was dropped unread.
    expect(fake.outputs.filter((t) => t.reads > 0).map((t) => t.origin)).toEqual(['output loss of run 1']);
    expect(fake.outputs.find((t) => t.origin === 'output loss of run 2')!.disposed).toBe(true);
    expect(trainer.completedSteps).toBe(2);
    await trainer.dispose();
    for (const name of artifacts.weights.keys()) expect(run1!.feeds[name]!.disposed).toBe(true);
    expect(fake.released()).toBe(1);
    await trainer.dispose(); // safe twice: no double dispose (FakeTensor asserts)
  });

  test('dispose() releases the current state, the weights and the session', async () => {
    const fake = fakeBackend();
    const trainer = await Trainer.create(fake.backend, artifacts);
    await (await trainer.step(batch, { lr: 1e-3 })).loss;
    await trainer.dispose();
    expect(fake.tensors.filter((t) => t.origin === 'resident').every((t) => t.disposed)).toBe(true);
    expect(fake.outputs.every((t) => t.disposed)).toBe(true); // the live state, and the loss (read with release)
  });

  test('a lost device fails a run that never settles, and every later call at once', async () => {
    const fake = fakeBackend(() => new Promise(() => undefined)); // a hung GPU
    const trainer = await Trainer.create(fake.backend, artifacts);
    const pending = trainer.step(batch, { lr: 1e-3 });
    fake.lose({ reason: 'unknown', message: 'GPU process crashed' });
    await expect(pending).rejects.toThrow(new DeviceLostError('unknown', 'GPU process crashed'));
    await expect(trainer.step(batch, { lr: 1e-3 })).rejects.toBeInstanceOf(DeviceLostError);
    await expect(trainer.readState()).rejects.toBeInstanceOf(DeviceLostError);
    expect(trainer.completedSteps).toBe(0);
    await trainer.dispose();
  });
});
