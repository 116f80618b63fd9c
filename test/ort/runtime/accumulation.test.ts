// Gradient accumulation on onnxruntime-node and onnxruntime-web WASM: an optimizer step over k micro-batches
// (accumulate + apply graphs) against the fused train step over the same rows as one batch. float64 artifacts, so
// that the two ways agree to rounding: the same loss, raw gradients, gradient norm, adapter and AdamW moments, over
// steps that follow each other, with the last micro-batch partly rows of padding.
import { beforeAll, describe, expect, test } from 'vitest';
import { artifactFiles, readArtifactFiles } from '../../../src/models/artifact-files.ts';
import { buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import { packBatch, packMicroBatches, type Batch, type TokenSequence } from '../../../src/models/batch.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { parseLoraSpec } from '../../../src/models/lora.ts';
import { SeededRandom } from '../../../src/models/random.ts';
import type { Backend } from '../../../src/runtime/backend.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { cpuBackend, cpuBackends } from '../../support/engine-backends.ts';
import { relativeError } from '../../support/relative-error.ts';
import { tinyLlamaConfig } from '../../support/tiny-models.ts';

const config = tinyLlamaConfig;
const lora = parseLoraSpec({ r: 4, alpha: 8, targets: ['q', 'v', 'o', 'gate', 'down'] });
const seqLen = 8;
const weights = randomBaseWeights(config, 1);

/** Artifacts of batch size `batchSize`; the same base weights, LoRA init and optimizer for every size. */
function artifacts(batchSize: number, options: { accumulation?: boolean; maxGradNorm?: number | null; dtype?: 'float32' | 'float64' } = {}) {
  return buildTrainingArtifacts({
    config,
    lora,
    batchSize,
    seqLen,
    dtype: options.dtype ?? 'float64',
    weights,
    seed: 2,
    adamw: { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 },
    // Small enough that the summed gradient is really clipped (checked below).
    maxGradNorm: options.maxGradNorm === undefined ? 0.05 : options.maxGradNorm,
    withGradients: true,
    accumulation: options.accumulation ?? false,
  });
}

/** `count` sequences of varied lengths and prompt lengths, so that micro-batches hold different token counts. */
function sequences(count: number, seed: number): TokenSequence[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const length = 3 + Math.floor(random.uniform() * (seqLen - 2));
    return { tokens: Array.from({ length }, () => Math.floor(random.uniform() * config.vocabSize)), promptLength: 1 + Math.floor(random.uniform() * (length - 2)) };
  });
}

/** The rows as micro-batches of `size` (the last one filled with padding rows). */
const microBatches = (rows: readonly TokenSequence[], size: number, dtype: 'float32' | 'float64' = 'float64'): Batch[] =>
  packMicroBatches(rows, { microBatchSize: size, seqLen, dtype });

const tokens = (b: Batch) => Array.from(b.loss_mask).reduce((a, v) => a + v, 0);

for (const ep of cpuBackends) {
  describe(`${ep} backend`, () => {
    let backend: Backend;
    beforeAll(() => {
      backend = cpuBackend(ep);
    });

    test('3 micro-batches of 2 (the last half padding) make the update of one fused step over the 5 rows, step after step', async () => {
      const whole = await Trainer.create(backend, artifacts(5));
      const micro = await Trainer.create(backend, artifacts(2, { accumulation: true }));
      let worst = 0;
      try {
        for (const [step, lr] of [[1, 1e-2], [2, 3e-2], [3, 5e-3]] as const) {
          const rows = sequences(5, step);
          const batches = microBatches(rows, 2);
          expect(batches.length).toBe(3);
          // Dividing each micro-batch by its own token count would weigh them unlike the whole batch does.
          expect(new Set(batches.map(tokens)).size).toBeGreaterThan(1);
          expect(batches[2]!.attention_mask.slice(seqLen).every((v) => v === 0)).toBe(true);
          const options = { lr, readGradients: true, readGradNorm: true };
          const a = await whole.step(packBatch(rows, { batchSize: 5, seqLen, dtype: 'float64' }), options);
          const b = await micro.step(batches, options);
          expect(b.step).toBe(step);
          const [lossA, lossB, normA, normB] = await Promise.all([a.loss!, b.loss!, a.gradNorm!, b.gradNorm!]);
          expect(normA).toBeGreaterThan(0.05);
          const gradA = (await a.gradients)!;
          const gradB = (await b.gradients)!;
          expect([...gradB.keys()]).toEqual(['adapter']);
          const stateA = await whole.readState();
          const stateB = await micro.readState();
          expect([...stateB.keys()].sort()).toEqual(['adapter', 'adapter.adam_m', 'adapter.adam_v']);
          const errors = [
            relativeError([lossB], [lossA]),
            relativeError([normB], [normA]),
            relativeError(gradB.get('adapter')!, gradA.get('adapter')!),
            ...[...stateA].map(([name, data]) => relativeError(stateB.get(name)!, data)),
          ];
          worst = Math.max(worst, ...errors);
        }
        expect(micro.completedSteps).toBe(3);
      } finally {
        await whole.dispose();
        await micro.dispose();
      }
      console.log(`${ep}: accumulated vs fused, worst relative error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-10);
    });

    test('micro-batches of one row without clipping match too; an array of one batch is the fused step on it', async () => {
      const rows = sequences(4, 9);
      const whole = await Trainer.create(backend, artifacts(4, { maxGradNorm: null }));
      const micro = await Trainer.create(backend, artifacts(1, { accumulation: true, maxGradNorm: null }));
      try {
        const a = await whole.step(packBatch(rows, { batchSize: 4, seqLen, dtype: 'float64' }), { lr: 1e-2, readGradients: true, readGradNorm: true });
        const b = await micro.step(microBatches(rows, 1), { lr: 1e-2, readGradients: true, readGradNorm: true });
        expect(b.gradNorm).toBeNull();
        expect(relativeError([(await b.loss)!], [(await a.loss)!])).toBeLessThan(1e-12);
        expect(relativeError((await b.gradients)!.get('adapter')!, (await a.gradients)!.get('adapter')!)).toBeLessThan(1e-10);
        expect(relativeError((await micro.readState()).get('adapter')!, (await whole.readState()).get('adapter')!)).toBeLessThan(1e-10);
        // An array of one batch is the fused step on it: the same as passing the batch.
        const single = microBatches(rows.slice(0, 1), 1);
        const viaArray = await (await micro.step(single, { lr: 1e-2 })).loss;
        const other = await Trainer.create(backend, artifacts(1, { accumulation: true, maxGradNorm: null }));
        try {
          await other.step(microBatches(rows, 1), { lr: 1e-2, readLoss: false });
          expect(await (await other.step(single[0]!, { lr: 1e-2 })).loss).toBe(viaArray);
        } finally {
          await other.dispose();
        }
      } finally {
        await whole.dispose();
        await micro.dispose();
      }
    });

    test('float32 (as on WebGPU): the loss and the summed gradient equal the fused step\'s to float32 rounding', async () => {
      const rows = sequences(5, 11);
      const whole = await Trainer.create(backend, artifacts(5, { dtype: 'float32' }));
      const micro = await Trainer.create(backend, artifacts(2, { dtype: 'float32', accumulation: true }));
      try {
        const options = { lr: 1e-2, readGradients: true };
        const a = await whole.step(packBatch(rows, { batchSize: 5, seqLen, dtype: 'float32' }), options);
        const b = await micro.step(microBatches(rows, 2, 'float32'), options);
        expect(relativeError([(await b.loss)!], [(await a.loss)!])).toBeLessThan(1e-6);
        expect(relativeError((await b.gradients)!.get('adapter')!, (await a.gradients)!.get('adapter')!)).toBeLessThan(1e-5);
      } finally {
        await whole.dispose();
        await micro.dispose();
      }
    });

    test('artifact files with accumulation round trip: four graphs, and a trainer from the files takes the same step', async () => {
      const a = artifacts(2, { accumulation: true });
      const files = artifactFiles(a);
      expect([...files.keys()].sort()).toEqual(['accumulate.onnx', 'apply.onnx', 'forward.onnx', 'manifest.json', 'state.safetensors', 'train-step.onnx', 'weights.safetensors']);
      const read = await readArtifactFiles((name) => {
        const bytes = files.get(name);
        return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no ${name}`));
      });
      expect(read.manifest).toEqual(a.manifest);
      const batches = microBatches(sequences(3, 4), 2);
      const results = [];
      for (const source of [a, read]) {
        const trainer = await Trainer.create(backend, source);
        try {
          results.push({ loss: await (await trainer.step(batches, { lr: 1e-2 })).loss, adapter: Array.from((await trainer.readState()).get('adapter')!) });
        } finally {
          await trainer.dispose();
        }
      }
      expect(results[1]).toEqual(results[0]);
    });

    test('clear errors, and a failed step changes nothing', async () => {
      const plain = await Trainer.create(backend, artifacts(2));
      const micro = await Trainer.create(backend, artifacts(2, { accumulation: true }));
      const batches = microBatches(sequences(4, 5), 2);
      try {
        await expect(plain.step(batches, { lr: 1e-2 })).rejects.toThrow('a step over 2 micro-batches needs artifacts built with gradient accumulation');
        await expect(micro.step([], { lr: 1e-2 })).rejects.toThrow('a step needs at least one batch');
        const wrong = packBatch(sequences(1, 6), { batchSize: 1, seqLen, dtype: 'float64' });
        await expect(micro.step([batches[0]!, wrong], { lr: 1e-2 })).rejects.toThrow('the batch is 1 x 8, these artifacts take 2 x 8');
        expect(micro.completedSteps).toBe(0);
        const before = await micro.readState();
        const fresh = await Trainer.create(backend, artifacts(2, { accumulation: true }));
        try {
          const [x, y] = [await micro.step(batches, { lr: 1e-2 }), await fresh.step(batches, { lr: 1e-2 })];
          expect(await x.loss).toBe(await y.loss);
          expect(Array.from(before.get('adapter')!)).toEqual(Array.from(artifacts(2).state.get('adapter')!));
        } finally {
          await fresh.dispose();
        }
      } finally {
        await plain.dispose();
        await micro.dispose();
      }
    });
  });
}
