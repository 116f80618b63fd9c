// Forward values of the composites against plain-loop references written from the Hugging Face /
// PyTorch definitions (test/support/reference-nn.ts), in float64 (1e-12) and float32 (1e-5).
// The gradients of the same composites are checked in grad-check.test.ts.
import { describe, expect, test } from 'vitest';
import * as builders from '../../../src/graph/builders.ts';
import type { DType } from '../../../src/graph/dtype.ts';
import { Graph, type Tensor } from '../../../src/graph/ir.ts';
import { logSoftmax, silu } from '../../../src/graph/nn/activations.ts';
import { attentionBias, causalAttention } from '../../../src/graph/nn/attention.ts';
import { linearCrossEntropy, maskedCrossEntropy } from '../../../src/graph/nn/loss.ts';
import { linears, loraLinear } from '../../../src/graph/nn/lora.ts';
import { rmsNorm } from '../../../src/graph/nn/norm.ts';
import { applyRotary, rotaryConstants, rotaryTableData } from '../../../src/graph/nn/rotary.ts';
import { emitOnnx } from '../../../src/graph/onnx/emit.ts';
import { outputTiles, splitSumProduct, sumSplit, transposedProduct } from '../../../src/graph/ops/matmul.ts';
import { type HostTensor, nodeBackend } from '../../support/ort-backends.ts';
import { rng, uniform } from '../../support/random.ts';
import { attentionRef, logSoftmaxRef, loraLinearRef, maskedCrossEntropyRef, rmsNormRef, rotaryRef, siluRef } from '../../support/reference-nn.ts';
import { relativeError } from '../../support/relative-error.ts';

type Inputs = Record<string, { shape: number[]; data: Float64Array }>;

async function run(dtype: DType, inputs: Inputs, build: (x: Record<string, Tensor>) => Tensor): Promise<Float64Array> {
  const g = new Graph('forward');
  const x: Record<string, Tensor> = {};
  const feeds: Record<string, HostTensor> = {};
  for (const [name, { shape, data }] of Object.entries(inputs)) {
    x[name] = g.input(name, dtype, shape);
    feeds[name] = { dtype, shape, data: dtype === 'float32' ? Float32Array.from(data) : data };
  }
  g.output('y', build(x));
  const model = await nodeBackend.load(emitOnnx(g));
  const out = await model.run(feeds);
  await model.release();
  return Float64Array.from(out['y']!.data as Float64Array);
}

const random = rng('composites-forward');
const field = (shape: number[], lo = -1, hi = 1) => ({ shape, data: uniform(random, shape.reduce((a, c) => a * c, 1), lo, hi) });
const B = 2;
const T = 6;
const mask = { shape: [B, T], data: Float64Array.from({ length: B * T }, (_, i) => (i < T || i % T < T - 2 ? 1 : 0)) };

for (const [dtype, tol] of [['float64', 1e-12], ['float32', 1e-5]] as const) {
  describe(`composites forward (${dtype})`, () => {
    test('logSoftmax', async () => {
      const a = field([3, 7], -5, 5);
      expect(relativeError(await run(dtype, { a }, (x) => logSoftmax(x['a']!)), logSoftmaxRef(a.data, 7))).toBeLessThan(tol);
    });
    test('SiLU', async () => {
      const a = field([3, 7], -5, 5);
      expect(relativeError(await run(dtype, { a }, (x) => silu(x['a']!)), siluRef(a.data))).toBeLessThan(tol);
    });
    test('RMSNorm', async () => {
      const a = field([2, 3, 8]);
      const w = field([8]);
      expect(relativeError(await run(dtype, { a, w }, (x) => rmsNorm(x['a']!, x['w']!, 1e-5)), rmsNormRef(a.data, w.data, 1e-5))).toBeLessThan(tol);
    });
    test('rotary (HF rotate_half, theta 10000)', async () => {
      const a = field([2, 3, T, 8]);
      const y = await run(dtype, { a }, (x) => {
        const { cos, sin } = rotaryConstants(x['a']!.graph, rotaryTableData(T, 8, 10000, dtype), dtype, [T, 8]);
        return applyRotary(x['a']!, cos, sin);
      });
      expect(relativeError(y, rotaryRef(a.data, T, 8, 10000))).toBeLessThan(tol);
    });
    test('GQA causal attention with padding (6 heads, 2 KV heads, rotary)', async () => {
      const [h, kv, d] = [6, 2, 4];
      const q = field([B, T, h * d]);
      const k = field([B, T, kv * d]);
      const v = field([B, T, kv * d]);
      const y = await run(dtype, { q, k, v, m: mask }, (x) =>
        causalAttention(x['q']!, x['k']!, x['v']!, { nHeads: h, nKvHeads: kv, headDim: d, bias: attentionBias(x['m']!), ropeTheta: 10000 }),
      );
      expect(relativeError(y, attentionRef(q.data, k.data, v.data, mask.data, B, T, h, kv, d, 10000))).toBeLessThan(tol);
    });
    test('0.75 a^T c split into row chunks (transposedProduct, a LoRA weight gradient)', async () => {
      const [m, k, n] = [1024, 3, 5];
      expect(sumSplit(m, outputTiles(1, k, n))).toBeGreaterThan(1);
      const a = field([m, k]);
      const c = field([m, n]);
      const y = await run(dtype, { a, c }, (x) => transposedProduct(builders, x['a']!, x['c']!, 0.75));
      const ref = new Float64Array(k * n);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let q = 0; q < n; q++) ref[p * n + q]! += 0.75 * a.data[i * k + p]! * c.data[i * n + q]!;
      expect(relativeError(y, ref)).toBeLessThan(tol);
    });
    test('a^T c with batch axes, each batch split into row chunks (transposedProduct, an attention key gradient)', async () => {
      const [batch, m, k, n] = [3, 512, 4, 6];
      expect(sumSplit(m, outputTiles(batch, k, n))).toBe(2);
      const a = field([batch, m, k]);
      const c = field([batch, m, n]);
      const y = await run(dtype, { a, c }, (x) => transposedProduct(builders, x['a']!, x['c']!));
      const ref = new Float64Array(batch * k * n);
      for (let t = 0; t < batch; t++) {
        for (let i = 0; i < m; i++) {
          for (let p = 0; p < k; p++) for (let q = 0; q < n; q++) ref[(t * k + p) * n + q]! += a.data[(t * m + i) * k + p]! * c.data[(t * m + i) * n + q]!;
        }
      }
      expect(relativeError(y, ref)).toBeLessThan(tol);
    });
    test('a c with its long sum split into column blocks of a (splitSumProduct, the head in the chunked loss)', async () => {
      const [m, k, n] = [5, 1024, 3];
      expect(sumSplit(k, outputTiles(1, m, n))).toBe(4);
      const a = field([m, k]);
      const c = field([k, n]);
      const y = await run(dtype, { a, c }, (x) => splitSumProduct(builders, x['a']!, x['c']!));
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) for (let q = 0; q < n; q++) ref[i * n + q]! += a.data[i * k + j]! * c.data[j * n + q]!;
      expect(relativeError(y, ref)).toBeLessThan(tol);
    });
    test('masked cross-entropy', async () => {
      const V = 11;
      const logits = field([B, T, V], -4, 4);
      const labels = { shape: [B, T], data: Float64Array.from({ length: B * T }, (_, i) => (i * 7) % V) };
      const y = await run(dtype, { logits, labels, m: mask }, (x) => maskedCrossEntropy(x['logits']!, x['labels']!, x['m']!));
      expect(relativeError(y, [maskedCrossEntropyRef(logits.data, labels.data, mask.data, V)])).toBeLessThan(tol);
    });
    test('masked cross-entropy with an all-zero mask is 0 (denominator clamped to 1)', async () => {
      const logits = field([1, 2, 3]);
      const zeros = { shape: [1, 2], data: new Float64Array(2) };
      const y = await run(dtype, { logits, labels: zeros, m: zeros }, (x) => maskedCrossEntropy(x['logits']!, x['labels']!, x['m']!));
      expect(Array.from(y)).toEqual([0]);
    });
    for (const chunks of [[B * T], [5, 4, 3]]) {
      test(`linearCrossEntropy in chunks [${chunks.join(', ')}] equals maskedCrossEntropy of the logits`, async () => {
        const [h, v] = [5, 7];
        const a = field([B, T, h]);
        const w = field([v, h]);
        const labels = { shape: [B, T], data: Float64Array.from({ length: B * T }, (_, i) => (i * 5) % v) };
        const inputs = { a, w, labels, m: mask };
        const y = await run(dtype, inputs, (x) => linearCrossEntropy(x['a']!, x['w']!, x['labels']!, x['m']!, chunks));
        const logits = new Float64Array(B * T * v); // a W^T
        for (let r = 0; r < B * T; r++) for (let o = 0; o < v; o++) for (let k = 0; k < h; k++) logits[r * v + o]! += a.data[r * h + k]! * w.data[o * h + k]!;
        expect(relativeError(y, [maskedCrossEntropyRef(logits, labels.data, mask.data, v)])).toBeLessThan(tol);
        // No token counted: the loss is 0 (the denominator is max(sum(mask), 1)).
        const none = { shape: [B, T], data: new Float64Array(B * T) };
        expect(Array.from(await run(dtype, { ...inputs, m: none }, (x) => linearCrossEntropy(x['a']!, x['w']!, x['labels']!, x['m']!, chunks)))).toEqual([0]);
      });
    }
    test('both cross-entropies with a given denominator (a micro-batch of a larger batch): the masked sum divided by it', async () => {
      const [h, v] = [5, 7];
      const a = field([B, T, h]);
      const w = field([v, h]);
      const labels = { shape: [B, T], data: Float64Array.from({ length: B * T }, (_, i) => (i * 3) % v) };
      const n = { shape: [], data: Float64Array.of(17) };
      const inputs = { a, w, labels, m: mask, n };
      const logits = new Float64Array(B * T * v);
      for (let r = 0; r < B * T; r++) for (let o = 0; o < v; o++) for (let k = 0; k < h; k++) logits[r * v + o]! += a.data[r * h + k]! * w.data[o * h + k]!;
      const tokens = mask.data.reduce((x, y) => x + y, 0);
      const ref = (maskedCrossEntropyRef(logits, labels.data, mask.data, v) * tokens) / 17;
      const chunked = await run(dtype, inputs, (x) => linearCrossEntropy(x['a']!, x['w']!, x['labels']!, x['m']!, [5, 7], x['n']));
      const whole = await run(dtype, inputs, (x) =>
        maskedCrossEntropy(builders.reshape(builders.matmul(x['a']!, builders.transpose(x['w']!, [1, 0])), [B, T, v]), x['labels']!, x['m']!, x['n']),
      );
      expect(relativeError(chunked, [ref])).toBeLessThan(tol);
      expect(relativeError(whole, [ref])).toBeLessThan(tol);
    });
    test('LoRA linear', async () => {
      const [n, i, o, r] = [6, 5, 4, 2];
      const a = field([2, 3, i]);
      const w = field([o, i]);
      const bias = field([o]);
      const la = field([r, i]);
      const lb = field([o, r]);
      const y = await run(dtype, { a, w, bias, la, lb }, (x) => loraLinear(x['a']!, { weight: x['w']!, bias: x['bias']!, loraA: x['la']!, loraB: x['lb']!, alpha: 8 }));
      expect(relativeError(y, loraLinearRef(a.data, w.data, bias.data, la.data, lb.data, n, i, o, r, 8))).toBeLessThan(tol);
    });
    test('stacked linears (q, k, v: LoRA of ranks 2 and 3 on two, a bias on one) equal each linear alone', async () => {
      const [n, i, r] = [6, 5, 2];
      const outs = [4, 3, 3];
      const ranks = [r, r, 3];
      const a = field([2, 3, i]);
      const w = outs.map((o) => field([o, i]));
      const bias = field([outs[1]!]);
      const la = outs.map((_, k) => field([ranks[k]!, i]));
      const lb = outs.map((o, k) => field([o, ranks[k]!]));
      const inputs = { a, w0: w[0]!, w1: w[1]!, w2: w[2]!, bias, la0: la[0]!, lb0: lb[0]!, la2: la[2]!, lb2: lb[2]! };
      const ys = await Promise.all(
        [0, 1, 2].map((part) =>
          run(dtype, inputs, (x) =>
            linears(x['a']!, [
              { weight: x['w0']!, loraA: x['la0']!, loraB: x['lb0']!, alpha: 8 },
              { weight: x['w1']!, bias: x['bias']! },
              { weight: x['w2']!, loraA: x['la2']!, loraB: x['lb2']!, alpha: 2 },
            ])[part]!,
          ),
        ),
      );
      const zeros = (len: number) => new Float64Array(len);
      expect(relativeError(ys[0]!, loraLinearRef(a.data, w[0]!.data, zeros(4), la[0]!.data, lb[0]!.data, n, i, 4, r, 8))).toBeLessThan(tol);
      expect(relativeError(ys[1]!, loraLinearRef(a.data, w[1]!.data, bias.data, la[1]!.data, zeros(3 * r), n, i, 3, r, 8))).toBeLessThan(tol);
      expect(relativeError(ys[2]!, loraLinearRef(a.data, w[2]!.data, zeros(3), la[2]!.data, lb[2]!.data, n, i, 3, 3, 2))).toBeLessThan(tol);
    });
  });
}
