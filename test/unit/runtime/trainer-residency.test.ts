// The Trainer's residency and disposal contract, with a fake backend (no onnxruntime): state and weights are
// uploaded once, each step's outputs become the next step's inputs and the replaced tensors are disposed,
// nothing but the requested scalars is read, dispose() releases everything, and a lost device fails a run
// that would never settle.
import { describe, expect, test } from 'vitest';
import { buildStepGraphs, buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import { sampleBatch } from '../../../src/models/batch.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { parseLoraSpec } from '../../../src/models/lora.ts';
import type { Backend, HostTensor, SessionSettings } from '../../../src/runtime/backend.ts';
import { DeviceLostError, DeviceWatch } from '../../../src/runtime/device-watch.ts';
import type { OrtModule, OrtSession, OrtTensor } from '../../../src/runtime/ort.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { sizeOf } from '../../../src/graph/shape.ts';
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
  const runs: { feeds: Record<string, FakeTensor>; fetches: string[] | Record<string, FakeTensor> }[] = [];
  /** What reached the (fake) GPU queue, in order: writes, runs, copies, snapshots. */
  const queue: string[] = [];
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
    run: (feeds: Record<string, FakeTensor>, fetches: string[] | Record<string, FakeTensor>) => {
      runs.push({ feeds, fetches });
      queue.push(`run ${runs.length}`);
      if (!Array.isArray(fetches)) {
        // Pre-allocated outputs (graph capture): the run writes its number into each and returns them.
        for (const t of Object.values(fetches)) t.data.fill(runs.length as never);
        return Promise.resolve(fetches);
      }
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
    gpu: {
      zeros: (dtype, shape) => Promise.resolve(make('zeros')({ dtype, shape, data: dtype === 'int64' ? new BigInt64Array(sizeOf(shape)) : new Float32Array(sizeOf(shape)) })),
      upload: (t) => Promise.resolve(make('upload')({ ...t, data: t.data.slice() })),
      write: (t, data) => {
        const tensor = t as unknown as FakeTensor;
        expect(tensor.data.length).toBe(data.length);
        tensor.data.set(data as never);
        queue.push(`write ${tensor.origin}`);
      },
      copy: (pairs) => {
        for (const [from, to] of pairs) (to as unknown as FakeTensor).data.set((from as unknown as FakeTensor).data as never);
        queue.push(`copy ${pairs.length}`);
      },
      snapshot: (t) => {
        queue.push('snapshot');
        return Promise.resolve(Float32Array.from((t as unknown as FakeTensor).data as Float32Array));
      },
    },
    watch: () => watch,
    dispose: () => Promise.resolve(),
  };
  return { backend, tensors, outputs, runs, queue, released: () => released, lose };
}

const config = tinyLlamaConfig;
const artifactsOptions = {
  config,
  lora: parseLoraSpec({ r: 2, alpha: 4, targets: ['q', 'v'] }),
  batchSize: 1,
  seqLen: 4,
  weights: randomBaseWeights(config, 0),
};
const artifacts = buildTrainingArtifacts(artifactsOptions);
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

  test('graph capture: the same GPU tensors every run; the batch is written before it and the state copied back after', async () => {
    const fake = fakeBackend();
    const trainer = await Trainer.create(fake.backend, artifacts, { graphCapture: true });
    const first = await trainer.step(batch, { lr: 1e-3 });
    const otherBatch = sampleBatch({ batchSize: 1, seqLen: 4, vocabSize: config.vocabSize, seed: 9 });
    const second = await trainer.step(otherBatch, { lr: 5e-4, readLoss: false });
    expect(await first.loss).toBe(1); // read from the snapshot queued right after run 1, not the output run 2 overwrote
    expect(second.loss).toBeNull();
    const [run1, run2] = fake.runs;
    expect(run2!.feeds).toBe(run1!.feeds);
    expect(run2!.fetches).toBe(run1!.fetches);
    const fetched = run1!.fetches as Record<string, FakeTensor>;
    expect(Object.keys(fetched).sort()).toEqual(['loss', ...updates.map(([output]) => output), artifacts.manifest.trainStep.gradNorm!].sort());
    // Every input is one of graph capture's fixed tensors: the state and weights are GpuIo uploads (never
    // backend.resident), never replaced; the copies made the state equal to the last run's outputs.
    expect(fake.tensors.filter((t) => t.origin === 'resident')).toEqual([]);
    for (const name of artifacts.weights.keys()) expect(run1!.feeds[name]!.origin).toBe('upload');
    for (const [output, input] of updates) {
      expect(run1!.feeds[input]!.origin).toBe('upload');
      expect(Array.from(run2!.feeds[input]!.data as Float32Array).every((v) => v === 2)).toBe(true);
      expect(fetched[output]!.disposed).toBe(false);
    }
    expect(run2!.feeds['input_ids']!.data).toEqual(otherBatch.input_ids);
    expect(run2!.feeds['lr']!.data).toEqual(Float32Array.of(5e-4));
    expect(run2!.feeds['step']!.data).toEqual(Float32Array.of(2));
    const writes = ['input_ids', 'attention_mask', 'labels', 'loss_mask', 'lr', 'step'].map(() => 'write zeros');
    expect(fake.queue).toEqual([...writes, 'run 1', 'copy 3', 'snapshot', ...writes, 'run 2', 'copy 3']);
    await expect(trainer.step(batch, { lr: 1e-3, readGradients: true })).rejects.toThrow('raw gradients cannot be read');
    await trainer.dispose();
    expect(fake.tensors.every((t) => t.disposed)).toBe(true);
  });

  test('graph capture with length buckets: each length its own fixed batch and output tensors, one set of state tensors', async () => {
    const fake = fakeBackend();
    let sessions = 0;
    const backend = { ...fake.backend, createSession: (model: Uint8Array, settings?: SessionSettings) => (sessions++, fake.backend.createSession(model, settings)) };
    const lengthBuckets = { lengths: [2], graphs: (seqLen: number) => buildStepGraphs(artifactsOptions, seqLen) };
    const trainer = await Trainer.create(backend, artifacts, { graphCapture: true, lengthBuckets });
    expect(sessions).toBe(1);
    const short = sampleBatch({ batchSize: 1, seqLen: 2, vocabSize: config.vocabSize, seed: 3 });
    for (const b of [batch, short, batch, short]) await trainer.step(b, { lr: 1e-3, readLoss: false });
    // The length-2 session was made at its first batch, once.
    expect(sessions).toBe(2);
    const [run1, run2, run3, run4] = fake.runs;
    expect(run3!.feeds).toBe(run1!.feeds);
    expect(run4!.feeds).toBe(run2!.feeds);
    expect(run4!.fetches).toBe(run2!.fetches);
    expect(run2!.fetches).not.toBe(run1!.fetches);
    expect(run2!.feeds['input_ids']!.data).toEqual(short.input_ids);
    expect(run2!.feeds['input_ids']).not.toBe(run1!.feeds['input_ids']);
    // The state and weights tensors are the same for both lengths: what one length's run wrote (copied onto them) the
    // other's next run reads.
    for (const name of [...artifacts.weights.keys(), ...updates.map(([, input]) => input)]) expect(run2!.feeds[name]).toBe(run1!.feeds[name]);
    for (const [, input] of updates) expect(Array.from(run4!.feeds[input]!.data as Float32Array).every((v) => v === 4)).toBe(true);
    expect(fake.queue.filter((q) => q.startsWith('run') || q.startsWith('copy'))).toEqual(['run 1', 'copy 3', 'run 2', 'copy 3', 'run 3', 'copy 3', 'run 4', 'copy 3']);
    await trainer.dispose();
    expect(fake.tensors.every((t) => t.disposed)).toBe(true);
    expect(fake.released()).toBe(2);
  });

  test('reading the state (a checkpoint, the adapter for inference) leaves the live GPU tensors on the GPU', async () => {
    // onnxruntime's Tensor.getData on a GPU tensor downloads it and makes it a CPU tensor from then on: a captured
    // step then refuses it ("External buffer must be provided ... when enableGraphCapture is true"), an uncaptured
    // one uploads it again every step. Found in the studio, where a run reads a checkpoint between steps.
    for (const graphCapture of [true, false]) {
      const fake = fakeBackend();
      const trainer = await Trainer.create(fake.backend, artifacts, { graphCapture });
      await trainer.step(batch, { lr: 1e-3 });
      const live = [...(fake.runs.at(-1)!.feeds ? Object.entries(fake.runs.at(-1)!.feeds) : [])].filter(([name]) => artifacts.state.has(name));
      const reads = live.map(([, t]) => t.reads);
      const state = await trainer.readState();
      expect([...state.keys()].sort()).toEqual([...artifacts.state.keys()].sort());
      expect(live.map(([, t]) => t.reads), `capture ${graphCapture}`).toEqual(reads);
      expect(fake.queue.filter((q) => q === 'snapshot').length).toBeGreaterThanOrEqual(artifacts.state.size);
      await trainer.dispose();
    }
  });

  test('float64 artifacts are refused on WebGPU before anything is uploaded', async () => {
    const fake = fakeBackend();
    const float64 = buildTrainingArtifacts({ ...artifactsOptions, dtype: 'float64' });
    await expect(Trainer.create(fake.backend, float64)).rejects.toThrow('WebGPU runs float32 artifacts only');
    expect(fake.tensors).toEqual([]);
  });

  test('graph capture is refused on a CPU backend', async () => {
    const fake = fakeBackend();
    await expect(Trainer.create({ ...fake.backend, ep: 'wasm', gpu: null }, artifacts, { graphCapture: true })).rejects.toThrow('graph capture needs the WebGPU backend, not wasm');
  });
});

describe('Trainer residency with gradient accumulation', () => {
  const withAccumulation = buildTrainingArtifacts({ ...artifactsOptions, accumulation: true });
  const batches = [batch, sampleBatch({ batchSize: 1, seqLen: 4, vocabSize: config.vocabSize, seed: 4 }), batch];
  const tokens = batches.reduce((sum, b) => sum + Array.from(b.loss_mask).reduce((a, v) => a + v, 0), 0);

  test('k accumulate runs from zeros uploaded once, each feeding the next its sums; one apply; only the loss sum is read', async () => {
    const fake = fakeBackend();
    const trainer = await Trainer.create(fake.backend, withAccumulation);
    for (let step = 1; step <= 2; step++) {
      const result = await trainer.step(batches, { lr: 1e-3 });
      expect(result.step).toBe(step);
      expect(await result.loss).toBe(4 * step - 1); // the fake writes its run's number: the third accumulate run's loss sum
    }
    const runs = fake.runs;
    expect(runs).toHaveLength(8);
    const [acc1, acc2, acc3, apply] = runs;
    const sums = ['loss_sum', 'adapter.grad_sum'];
    expect(acc1!.fetches).toEqual(sums.map((s) => `${s}.next`));
    for (const s of sums) {
      expect(acc1!.feeds[s]!.origin).toBe('resident'); // the zeros, the same tensors at the next step, never disposed
      expect(runs[4]!.feeds[s]).toBe(acc1!.feeds[s]);
      expect(acc1!.feeds[s]!.disposed).toBe(false);
      expect(acc2!.feeds[s]!.origin).toBe(`output ${s}.next of run 1`);
      expect(acc3!.feeds[s]!.origin).toBe(`output ${s}.next of run 2`);
      expect(acc3!.feeds[s]!.disposed).toBe(true);
    }
    for (const run of [acc1, acc2, acc3]) {
      expect(run!.feeds['loss_denominator']!.data).toEqual(Float32Array.of(tokens));
      expect(run!.feeds['adapter']).toBe(acc1!.feeds['adapter']); // the step's adapter, not updated between micro-batches
    }
    expect(acc2!.feeds['input_ids']!.data).toEqual(batches[1]!.input_ids);
    // apply: the state, the summed gradient, lr and step; no batch and no loss sum.
    expect(Object.keys(apply!.feeds).sort()).toEqual(['adapter', 'adapter.adam_m', 'adapter.adam_v', 'adapter.grad_sum', 'lr', 'step']);
    expect(apply!.feeds['adapter.grad_sum']!.origin).toBe('output adapter.grad_sum.next of run 3');
    expect(apply!.fetches).toEqual(updates.map(([output]) => output));
    for (const [output, input] of updates) {
      expect(apply!.feeds[input]!.disposed).toBe(true);
      expect(runs[7]!.feeds[input]!.origin).toBe(`output ${output} of run 4`);
    }
    expect(runs[7]!.feeds['step']!.data).toEqual(Float32Array.of(2));
    // Read back: the two loss sums only (with release); the summed gradients were disposed unread.
    expect(fake.outputs.filter((t) => t.reads > 0).map((t) => t.origin)).toEqual(['output loss_sum.next of run 3', 'output loss_sum.next of run 7']);
    await trainer.dispose();
    // Everything but the CPU tensors of batches and scalars (garbage, as in the fused step).
    expect(fake.tensors.filter((t) => !t.disposed && t.origin !== 'host')).toEqual([]);
    expect(fake.outputs.every((t) => t.disposed)).toBe(true);
    expect(fake.released()).toBe(3); // the train step, accumulate and apply sessions
  });

  test('graph capture: the micro-batches run uncaptured, and the applied state is copied onto the fixed state tensors', async () => {
    const fake = fakeBackend();
    const trainer = await Trainer.create(fake.backend, withAccumulation, { graphCapture: true });
    await (await trainer.step(batches.slice(0, 2), { lr: 1e-3 })).loss;
    const captured = await trainer.step(batch, { lr: 1e-3 });
    const [acc1, , apply, fused] = fake.runs;
    expect(Array.isArray(acc1!.fetches) && Array.isArray(apply!.fetches)).toBe(true);
    // The state the apply run read is the capture's, and still is after: the fused step reads the same tensors.
    for (const [output, input] of updates) {
      expect(apply!.feeds[input]!.origin).toBe('upload');
      expect(fused!.feeds[input]).toBe(apply!.feeds[input]);
      expect(fake.outputs.find((t) => t.origin === `output ${output} of run 3`)!.disposed).toBe(true);
    }
    const writes = ['input_ids', 'attention_mask', 'labels', 'loss_mask', 'lr', 'step'].map(() => 'write zeros');
    expect(fake.queue).toEqual(['run 1', 'run 2', 'run 3', 'copy 3', ...writes, 'run 4', 'copy 3', 'snapshot']);
    expect(await captured.loss).toBe(4);
    await trainer.dispose();
    expect(fake.tensors.filter((t) => !t.disposed && t.origin !== 'host')).toEqual([]);
    expect(fake.outputs.every((t) => t.disposed)).toBe(true);
  });
});
