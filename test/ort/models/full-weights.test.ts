// Full-weight training (models/trained-weights.ts ALL_WEIGHTS: every checkpoint tensor in the packed 'adapter' input,
// no LoRA) against PyTorch: transformers' own LlamaForCausalLM / Qwen2ForCausalLM / Qwen3ForCausalLM with every
// parameter trainable, 3 steps of clip_grad_norm_(1.0) + AdamW(lr 1e-3, weight decay 0.01) on the tiny fixtures'
// batch (test/fixtures/full-weights/README.md, scripts/fixtures/make_full_weight_fixtures.py). The artifacts are run
// through the runtime's Trainer, the path the studio and the CLI use, on onnxruntime-node and onnxruntime-web's WASM,
// as one fused train step per update and as gradient accumulation over micro-batches of one row.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkpointParameters } from '../../../src/models/architecture.ts';
import { buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import type { Batch } from '../../../src/models/batch.ts';
import { unpackAdapter } from '../../../src/models/manifest.ts';
import { readSafetensors, type SafetensorsFile } from '../../../src/models/safetensors.ts';
import { ALL_WEIGHTS } from '../../../src/models/trained-weights.ts';
import type { Backend } from '../../../src/runtime/backend.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { cpuBackend, cpuBackends } from '../../support/engine-backends.ts';
import { FIXTURES, loadFixture, type Fixture, type FixtureName } from '../../support/fixtures.ts';
import { relativeError } from '../../support/relative-error.ts';

const STEPS = 3;
const LR = 1e-3;
/** Losses, gradient norms and gradients: max abs diff / max abs of the reference (the LoRA fixtures' bar). */
const TOLERANCE = 1e-4;
/**
 * A tensor's update (final - initial) within this relative L2 distance of PyTorch's, or within UPDATE_NOISE_FACTOR
 * times PyTorch's own float32 noise on that tensor (its float32 run against its float64 run) where that is larger.
 * Updates are far noisier than gradients: Adam's first steps move each element by about lr * sign(gradient) whatever
 * the gradient's size, so an element whose gradient nearly cancels (float noise, ~1e-7 of the tensor's largest
 * gradient, is then a large part of it) moves by an amount float rounding decides. A relative L2 norm over the tensor
 * keeps a few such elements from deciding the test, but in a tensor of a few elements they still weigh much:
 * tiny-qwen2's 8 k_proj biases, whose gradients in RoPE's slowest dimensions are ~1e-5 of the largest, differ by
 * 3.1e-3 between PyTorch's float32 and float64. A wrong update (a tensor skipped, another tensor's gradient, the
 * moments, clipping or decay wrong) is off by more than either bar: weight decay left out moves the embedding's
 * update by 3e-3 to 9e-3, the other mistakes by far more.
 */
const UPDATE_TOLERANCE = 1e-3;
const UPDATE_NOISE_FACTOR = 10;

function fullWeightReference(name: FixtureName, file: string): SafetensorsFile {
  const path = new URL(`../../fixtures/full-weights/${name}/${file}`, import.meta.url);
  return readSafetensors(readFileSync(path), `full-weights/${name}/${file}`);
}

/** |(final - initial) - (reference - initial)|_2 / |reference - initial|_2, in float64. */
function updateError(final: ArrayLike<number>, initial: ArrayLike<number>, reference: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < initial.length; i++) {
    const step = reference[i]! - initial[i]!;
    diff += (final[i]! - initial[i]! - step) ** 2;
    norm += step ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
}

/** The batch's rows as micro-batches of one row each. */
function rowsOf(batch: Batch): Batch[] {
  const row = <T extends Float32Array | Float64Array | BigInt64Array>(data: T, r: number) => data.slice(r * batch.seqLen, (r + 1) * batch.seqLen) as T;
  return Array.from({ length: batch.batchSize }, (_, r) => ({
    batchSize: 1,
    seqLen: batch.seqLen,
    input_ids: row(batch.input_ids, r),
    attention_mask: row(batch.attention_mask, r),
    labels: row(batch.labels, r),
    loss_mask: row(batch.loss_mask, r),
  }));
}

const tokenCount = (batch: Batch) => Array.from(batch.loss_mask).reduce((a, v) => a + v, 0);

/** The whole batch's loss from its micro-batches' (evaluate() divides each by its own token count). */
async function batchLoss(trainer: Trainer, micro: readonly Batch[]): Promise<number> {
  let sum = 0;
  for (const b of micro) sum += (await trainer.evaluate(b)).loss * Math.max(tokenCount(b), 1);
  return sum / Math.max(micro.reduce((a, b) => a + tokenCount(b), 0), 1);
}

/**
 * STEPS updates on the fixture's batch (as micro-batches of one row when `micro`): the worst relative error of each
 * loss, gradient norm and (step 1) of the gradients, and each tensor's final value.
 */
async function train(backend: Backend, fixture: Fixture, optimizer: Readonly<Record<string, number>>, expected: SafetensorsFile, micro: boolean) {
  // The optimizer's hyper-parameters are the artifacts' defaults (torch's AdamW, weight decay 0.01, clip 1.0).
  const artifacts = buildTrainingArtifacts({ config: fixture.config, lora: ALL_WEIGHTS, batchSize: micro ? 1 : 2, seqLen: 8, dtype: 'float32', weights: fixture.weights, withGradients: true, accumulation: micro });
  const { type: _type, ...manifestOptimizer } = artifacts.manifest.optimizer;
  expect(manifestOptimizer).toEqual({ beta1: optimizer['beta1'], beta2: optimizer['beta2'], eps: optimizer['eps'], weightDecay: optimizer['weightDecay'], maxGradNorm: optimizer['maxGradNorm'] });

  // The trained vector holds every checkpoint tensor (a tied head once, as the embedding), in checkpoint order,
  // starting at the base weights.
  const names = checkpointParameters(fixture.config).map((p) => p.name);
  const initial = unpackAdapter(artifacts.manifest, Float32Array.from(artifacts.state.get(artifacts.manifest.adapter.input)!));
  expect([...initial.keys()]).toEqual(names);
  for (const n of names) expect(initial.get(n), n).toEqual(fixture.weights.get(n)!);

  const errors: Record<string, number> = {};
  const note = (what: string, error: number) => {
    errors[what] = Math.max(errors[what] ?? 0, error);
  };
  const batch = fixture.batch('float32');
  const rows = rowsOf(batch);
  const trainer = await Trainer.create(backend, artifacts);
  try {
    for (let k = 1; k <= STEPS; k++) {
      const step = await trainer.step(micro ? rows : batch, { lr: LR, readGradNorm: true, readGradients: k === 1 });
      expect(step.step).toBe(k);
      const loss = (await step.loss)!;
      note(`loss.${k}`, relativeError([loss], expected.float64(`loss.${k}`)));
      note(`grad_norm.${k}`, relativeError([(await step.gradNorm)!], expected.float64(`grad_norm.${k}`)));
      if (k > 1) continue;
      note('loss.0', relativeError([loss], expected.float64('loss.0')));
      const gradients = unpackAdapter(artifacts.manifest, (await step.gradients)!.get(artifacts.manifest.adapter.input)!);
      for (const n of names) note('gradients (worst)', relativeError(gradients.get(n)!, expected.float64(`grad.${n}`)));
    }
    note('loss.after', relativeError([micro ? await batchLoss(trainer, rows) : (await trainer.evaluate(batch)).loss], expected.float64('loss.after')));
    return { names, errors, final: await trainer.readAdapter() };
  } finally {
    await trainer.dispose();
  }
}

for (const ep of cpuBackends) {
  describe(`${ep} backend`, () => {
    let backend: Backend;
    beforeAll(() => {
      backend = cpuBackend(ep);
    });

    for (const name of FIXTURES) {
      // One fused train step per update, and gradient accumulation (the accumulate and apply graphs, as the engine runs
      // a microBatchSize below batchSize) over the batch's two rows, whose token counts differ.
      for (const micro of [false, true]) {
        test(`${name}${micro ? ', in micro-batches of one row' : ''}: every weight trained: loss, gradients, 3 clipped AdamW steps and every tensor's update match PyTorch`, async () => {
          const fixture = loadFixture(name);
          const expected = fullWeightReference(name, 'expected.safetensors');
          const expected64 = fullWeightReference(name, 'expected-f64.safetensors');
          const optimizer = JSON.parse(expected.metadata['optimizer']!) as Record<string, number>;
          expect(optimizer).toMatchObject({ lr: LR, steps: STEPS });

          const { names, errors, final } = await train(backend, fixture, optimizer, expected, micro);
          expect(names.map((n) => `grad.${n}`).sort()).toEqual([...expected.tensors.keys()].filter((k) => k.startsWith('grad.')).sort());
          const updates = names.map((n) => {
            const base = fixture.weights.get(n)!;
            const reference = expected.float64(`final.${n}`);
            const noise = updateError(reference, base, expected64.float64(`final.${n}`));
            return { n, error: updateError(final.get(n)!, base, reference), noise, bar: Math.max(UPDATE_TOLERANCE, UPDATE_NOISE_FACTOR * noise) };
          });
          const closest = updates.reduce((a, b) => (b.error / b.bar > a.error / a.bar ? b : a));
          const summary = Object.entries(errors).map(([k, v]) => `${k} ${v.toExponential(2)}`);
          console.log(`${ep} ${name}${micro ? ' (micro-batches)' : ''}: ${summary.join(', ')}; update closest to its bar: ${closest.n} ${closest.error.toExponential(2)} (bar ${closest.bar.toExponential(1)})`);
          for (const [what, error] of Object.entries(errors)) expect(error, what).toBeLessThan(TOLERANCE);
          for (const { n, error, noise, bar } of updates) expect(error, `${n}'s update (PyTorch's float32 noise ${noise.toExponential(1)})`).toBeLessThan(bar);
        });
      }
    }
  });
}
