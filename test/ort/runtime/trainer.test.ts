// The runtime's Trainer on onnxruntime-node and onnxruntime-web WASM: AdamW + clipping steps against the
// independent TypeScript reference (test/support/reference-adamw.ts) fed with the graph's own raw gradients
// (whose correctness test/ort/models establishes), state round trips, pipelined steps, and clear errors.
import { beforeAll, describe, expect, test } from 'vitest';
import { artifactFiles, readArtifactFiles } from '../../../src/models/artifact-files.ts';
import { buildTrainingArtifacts, type StateData } from '../../../src/models/artifacts.ts';
import { sampleBatch } from '../../../src/models/batch.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { parseLoraSpec } from '../../../src/models/lora.ts';
import type { Backend } from '../../../src/runtime/backend.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { cpuBackend, cpuBackends } from '../../support/engine-backends.ts';
import { relativeError } from '../../support/relative-error.ts';
import { adamwStepRef, clipGradNormRef } from '../../support/reference-adamw.ts';
import { tinyLlamaConfig, tinyQwen2Config } from '../../support/tiny-models.ts';

const lora = parseLoraSpec({ r: 4, alpha: 8, targets: ['q', 'v', 'o', 'up', 'down'] });
const adamw = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };
const shape = { batchSize: 2, seqLen: 6 } as const;

function artifacts(options: { dtype?: 'float32' | 'float64'; withGradients?: boolean; maxGradNorm?: number | null; config?: typeof tinyLlamaConfig } = {}) {
  const config = options.config ?? tinyLlamaConfig;
  return buildTrainingArtifacts({
    config,
    lora,
    ...shape,
    dtype: options.dtype ?? 'float32',
    weights: randomBaseWeights(config, 1),
    seed: 2,
    adamw,
    maxGradNorm: options.maxGradNorm === undefined ? 1 : options.maxGradNorm,
    withGradients: options.withGradients ?? false,
  });
}

const batchOf = (dtype: 'float32' | 'float64', seed = 3, config = tinyLlamaConfig) => sampleBatch({ ...shape, vocabSize: config.vocabSize, seed, dtype });

for (const ep of cpuBackends) {
  describe(`${ep} backend`, () => {
    let backend: Backend;
    beforeAll(() => {
      backend = cpuBackend(ep);
    });

    for (const [dtype, tol] of [['float64', 1e-9], ['float32', 1e-5]] as const) {
      test(`${dtype}: 4 steps of clip_grad_norm_ + AdamW equal the TypeScript reference`, async () => {
        // max norm 0.05: the raw LoRA gradients' norm is larger, so every step really clips.
        const a = artifacts({ dtype, withGradients: true, maxGradNorm: 0.05 });
        const trainer = await Trainer.create(backend, a);
        const lrs = [1e-2, 5e-3, 2e-2, 1e-3];
        const names = a.manifest.trainStep.trainable.map((t) => t.name);
        const reference = new Map(names.map((n) => [n, { param: Float64Array.from(a.state.get(n)!), m: new Float64Array(a.state.get(n)!.length), v: new Float64Array(a.state.get(n)!.length) }]));
        let worst = 0;
        try {
          for (let t = 1; t <= lrs.length; t++) {
            const result = await trainer.step(batchOf(dtype, t), { lr: lrs[t - 1]!, readGradients: true, readGradNorm: true });
            expect(result.step).toBe(t);
            const grads = (await result.gradients)!;
            const clipped = clipGradNormRef(names.map((n) => Float64Array.from(grads.get(n)!)), 0.05);
            expect(clipped.totalNorm).toBeGreaterThan(0.05);
            worst = Math.max(worst, relativeError([(await result.gradNorm)!], [clipped.totalNorm]));
            const state = await trainer.readState();
            names.forEach((n, i) => {
              const r = adamwStepRef(reference.get(n)!.param, clipped.grads[i]!, reference.get(n)!.m, reference.get(n)!.v, lrs[t - 1]!, t, adamw);
              const s = (suffix: string): StateData => state.get(`${n}${suffix}`)!;
              worst = Math.max(worst, relativeError(s(''), r.param), relativeError(s('.adam_m'), r.m), relativeError(s('.adam_v'), r.v));
              // Continue from the graph's values so that float32 rounding does not compound.
              reference.set(n, { param: Float64Array.from(s('')), m: Float64Array.from(s('.adam_m')), v: Float64Array.from(s('.adam_v')) });
            });
          }
        } finally {
          await trainer.dispose();
        }
        console.log(`${ep} ${dtype}: AdamW worst relative error ${worst.toExponential(2)}`);
        expect(worst).toBeLessThan(tol);
      });
    }

    test('the loss falls on a fixed batch; evaluate() sees the updated adapter; B starts at zero as in PEFT', async () => {
      for (const config of [tinyLlamaConfig, tinyQwen2Config]) {
        const a = artifacts({ config });
        for (const t of a.manifest.trainStep.trainable) {
          if (t.name.includes('lora_B')) expect(a.state.get(t.name)!.every((v) => v === 0)).toBe(true);
        }
        const trainer = await Trainer.create(backend, a);
        const batch = batchOf('float32', 5, config);
        try {
          const before = await trainer.evaluate(batch);
          const losses: number[] = [];
          for (let i = 0; i < 12; i++) losses.push((await (await trainer.step(batch, { lr: 2e-2 })).loss)!);
          // At step 1 the adapter is zero: the train step's loss is the base model's, which evaluate() gave.
          expect(Math.abs(losses[0]! - before.loss) / before.loss).toBeLessThan(1e-5);
          // evaluate() runs the forward graph on the adapter as updated so far: the next step's loss is computed on the same.
          const after = await trainer.evaluate(batch);
          const next = (await (await trainer.step(batch, { lr: 2e-2 })).loss)!;
          expect(Math.abs(after.loss - next) / next).toBeLessThan(1e-5);
          expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
          expect(trainer.completedSteps).toBe(13);
        } finally {
          await trainer.dispose();
        }
      }
    });

    test('steps queued without awaiting their losses give the same losses as steps awaited one by one', async () => {
      const run = async (pipelined: boolean) => {
        const trainer = await Trainer.create(backend, artifacts());
        try {
          const losses: Promise<number>[] = [];
          const pending = [];
          for (let i = 0; i < 4; i++) {
            const step = trainer.step(batchOf('float32', 10 + i), { lr: 1e-2, readLoss: i % 2 === 0 || !pipelined });
            if (pipelined) pending.push(step);
            else losses.push((await step).loss!);
          }
          for (const s of await Promise.all(pending)) if (s.loss) losses.push(s.loss);
          return { losses: await Promise.all(losses), state: await trainer.readAdapter() };
        } finally {
          await trainer.dispose();
        }
      };
      const plain = await run(false);
      const pipelined = await run(true);
      expect(pipelined.losses).toEqual([plain.losses[0], plain.losses[2]]);
      for (const [name, data] of plain.state) expect(Array.from(pipelined.state.get(name)!)).toEqual(Array.from(data));
    });

    test('artifact files round trip: a trainer from the files continues exactly like the one in memory', async () => {
      const a = artifacts({ withGradients: true });
      const files = artifactFiles(a, batchOf('float32', 7));
      expect([...files.keys()].sort()).toEqual(['batch.safetensors', 'forward.onnx', 'manifest.json', 'state.safetensors', 'train-step.onnx', 'weights.safetensors']);
      const read = await readArtifactFiles((name) => {
        const bytes = files.get(name);
        return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no ${name}`));
      });
      expect(read.manifest).toEqual({ ...a.manifest, sampleBatch: 'batch.safetensors' });
      const losses = [];
      for (const source of [a, read]) {
        const trainer = await Trainer.create(backend, source);
        try {
          losses.push((await (await trainer.step(read.sampleBatch!, { lr: 1e-2 })).loss)!);
        } finally {
          await trainer.dispose();
        }
      }
      expect(losses[1]).toBe(losses[0]);
    });

    test('clear errors: a batch of the wrong shape, gradients the artifacts do not have, a disposed trainer', async () => {
      const trainer = await Trainer.create(backend, artifacts());
      await expect(trainer.step(sampleBatch({ batchSize: 1, seqLen: 6, vocabSize: 64 }), { lr: 1e-3 })).rejects.toThrow('the batch is 1 x 6, these artifacts take 2 x 6');
      await expect(trainer.step(batchOf('float64'), { lr: 1e-3 })).rejects.toThrow('batch attention_mask must be float32');
      await expect(trainer.step(batchOf('float32'), { lr: 1e-3, readGradients: true })).rejects.toThrow('no gradient outputs');
      expect(trainer.completedSteps).toBe(0); // failed calls change nothing
      await trainer.dispose();
      await trainer.dispose();
      await expect(trainer.step(batchOf('float32'), { lr: 1e-3 })).rejects.toThrow('disposed');
    });
  });
}
