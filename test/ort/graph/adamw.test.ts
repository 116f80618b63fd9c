// Several steps of the emitted train-step graph (backward + clip_grad_norm_ + AdamW) against an
// independent TypeScript reference (test/support/reference-adamw.ts), fed with the graph's own raw
// gradients (whose correctness grad-check.test.ts establishes). Outputs are fed back as inputs, as the
// runtime does. float64 within 1e-9 relative, float32 within 1e-5 relative.
import { describe, expect, test } from 'vitest';
import * as b from '../../../src/graph/builders.ts';
import type { DType } from '../../../src/graph/dtype.ts';
import { Graph } from '../../../src/graph/ir.ts';
import { appendTrainStep } from '../../../src/graph/optim/train-step.ts';
import { emitOnnx } from '../../../src/graph/onnx/emit.ts';
import { relativeError } from '../../support/relative-error.ts';
import { type HostTensor, backends } from '../../support/ort-backends.ts';
import { rng, uniform } from '../../support/random.ts';
import { adamwStepRef, clipGradNormRef } from '../../support/reference-adamw.ts';

const adamw = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };
const lrs = [1e-2, 5e-3, 2e-2, 1e-3, 1e-2];

function toyTrainStep(dtype: DType, maxGradNorm: number) {
  const g = new Graph('toy_train_step');
  const x = g.input('x', dtype, [5, 3]);
  const w = g.input('w', dtype, [4, 3]);
  const bias = g.input('bias', dtype, [4]);
  const frozen = g.initializer('frozen', dtype, [4], dtype === 'float32' ? Float32Array.from([1, -1, 0.5, 2]) : Float64Array.from([1, -1, 0.5, 2]));
  const h = b.tanh(b.add(b.gemm(x, w, { transB: true }), bias));
  const loss = b.div(b.reduceSum(b.mul(b.mul(h, h), frozen), [0, 1]), 5);
  const step = appendTrainStep({ loss, params: [w, bias], adamw, maxGradNorm, outputGradients: true });
  return { graph: g, step };
}

for (const backend of backends()) {
  for (const [dtype, tol] of [['float64', 1e-9], ['float32', 1e-5]] as const) {
    describe(`${backend.name} ${dtype}`, () => {
      for (const maxGradNorm of [0.05, 1e3]) {
        test(`5 AdamW steps, clip_grad_norm_ ${maxGradNorm} (${maxGradNorm < 1 ? 'clipping' : 'not clipping'})`, async () => {
          const { graph, step } = toyTrainStep(dtype, maxGradNorm);
          const model = await backend.load(emitOnnx(graph));
          const random = rng(`adamw ${dtype}`);
          const arr = (data: Float64Array) => (dtype === 'float32' ? Float32Array.from(data) : data);
          const host = (shape: number[], data: Float64Array): HostTensor => ({ dtype, shape, data: arr(data) });
          const x = host([5, 3], uniform(random, 15));
          const shapes: Record<string, number[]> = { w: [4, 3], bias: [4] };
          // Graph state (what the runtime carries) and reference state (float64), starting equal.
          const state: Record<string, HostTensor> = {};
          const ref: Record<string, { param: Float64Array; m: Float64Array; v: Float64Array }> = {};
          for (const [name, shape] of Object.entries(shapes)) {
            const init = Float64Array.from(arr(uniform(random, shape.reduce((a, c) => a * c, 1))));
            state[name] = host(shape, init);
            state[`${name}.adam_m`] = host(shape, new Float64Array(init.length));
            state[`${name}.adam_v`] = host(shape, new Float64Array(init.length));
            ref[name] = { param: init, m: new Float64Array(init.length), v: new Float64Array(init.length) };
          }
          let worst = 0;
          for (let t = 1; t <= lrs.length; t++) {
            const lr = lrs[t - 1]!;
            const out = await model.run({ ...state, x, lr: host([], Float64Array.of(lr)), step: host([], Float64Array.of(t)) });
            const names = step.state.map((s) => s.param);
            const grads = step.state.map((s) => Float64Array.from(out[s.grad!]!.data as Float64Array));
            const clipped = clipGradNormRef(grads, maxGradNorm);
            worst = Math.max(worst, relativeError(out['grad_norm']!.data as Float64Array, [clipped.totalNorm]));
            names.forEach((name, i) => {
              const r = adamwStepRef(ref[name]!.param, clipped.grads[i]!, ref[name]!.m, ref[name]!.v, lr, t, adamw);
              ref[name] = r;
              const s = step.state[i]!;
              worst = Math.max(
                worst,
                relativeError(out[s.paramOut]!.data as Float64Array, r.param),
                relativeError(out[s.mOut]!.data as Float64Array, r.m),
                relativeError(out[s.vOut]!.data as Float64Array, r.v),
              );
              state[name] = out[s.paramOut]!;
              state[s.m] = out[s.mOut]!;
              state[s.v] = out[s.vOut]!;
              // The reference continues from the graph's parameters so float32 rounding does not compound.
              ref[name] = { param: Float64Array.from(out[s.paramOut]!.data as Float64Array), m: Float64Array.from(out[s.mOut]!.data as Float64Array), v: Float64Array.from(out[s.vOut]!.data as Float64Array) };
            });
            if (maxGradNorm < 1) expect(clipped.totalNorm).toBeGreaterThan(maxGradNorm); // the clipping case really clips
          }
          await model.release();
          console.log(`${backend.name} ${dtype} clip ${maxGradNorm}: worst relative error ${worst.toExponential(2)}`);
          expect(worst).toBeLessThan(tol);
        });
      }
    });
  }
}
