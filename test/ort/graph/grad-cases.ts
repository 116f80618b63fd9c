// The gradient-check cases, as data: each names the builder call, its input shapes and domains.
// grad-check.test.ts replays every case on every backend against a central finite-difference
// reference in float64. Shapes are small and varied, with broadcasting wherever the op allows it.
import * as b from '../../../src/graph/builders.ts';
import type { Tensor } from '../../../src/graph/ir.ts';
import { logSoftmax, silu } from '../../../src/graph/nn/activations.ts';
import { attentionBias, causalAttention } from '../../../src/graph/nn/attention.ts';
import { linearCrossEntropy, maskedCrossEntropy } from '../../../src/graph/nn/loss.ts';
import { linear, linears, loraLinear } from '../../../src/graph/nn/lora.ts';
import { rmsNorm } from '../../../src/graph/nn/norm.ts';
import { applyRotary, rotaryConstants, rotaryTableData } from '../../../src/graph/nn/rotary.ts';
import type { CheckCase, InputSpec } from '../../support/grad-check.ts';
import { toy, toyLoss, toyTrainable, toyWeights } from '../../support/toy-model.ts';

export interface GradCase extends CheckCase {
  /** The primitive or composite exercised (for the coverage test). */
  readonly op: string;
}

const t = (x: Readonly<Record<string, Tensor>>, k: string): Tensor => {
  const v = x[k];
  if (v === undefined) throw new Error(`case input ${k} missing`);
  return v;
};

const binaryCases = (op: string, fn: (a: Tensor, c: Tensor) => Tensor, domain: InputSpec['domain'] = 'any'): GradCase[] => [
  { name: `${op} same shape`, op, inputs: { a: { shape: [3, 4], domain }, c: { shape: [3, 4], domain } }, build: (x) => fn(t(x, 'a'), t(x, 'c')) },
  { name: `${op} broadcast [2,3,4] x [3,1]`, op, inputs: { a: { shape: [2, 3, 4], domain }, c: { shape: [3, 1], domain } }, build: (x) => fn(t(x, 'a'), t(x, 'c')) },
  { name: `${op} broadcast [4] x [2,1,4]`, op, inputs: { a: { shape: [4], domain }, c: { shape: [2, 1, 4], domain } }, build: (x) => fn(t(x, 'a'), t(x, 'c')) },
  { name: `${op} scalar x [2,3]`, op, inputs: { a: { shape: [], domain }, c: { shape: [2, 3], domain } }, build: (x) => fn(t(x, 'a'), t(x, 'c')) },
];

const unaryCase = (op: string, fn: (a: Tensor) => Tensor, domain: InputSpec['domain'] = 'any'): GradCase => ({
  name: op,
  op,
  inputs: { a: { shape: [3, 4], domain } },
  build: (x) => fn(t(x, 'a')),
});

export const primitiveCases: readonly GradCase[] = [
  ...binaryCases('Add', b.add),
  ...binaryCases('Sub', b.sub),
  ...binaryCases('Mul', b.mul),
  ...binaryCases('Div', b.div, 'positive'),
  ...binaryCases('Pow', b.pow, 'positive'),
  ...binaryCases('max (Where composite)', b.max),
  ...binaryCases('min (Where composite)', b.min),
  unaryCase('Neg', b.neg),
  unaryCase('Exp', b.exp),
  unaryCase('Log', b.log, 'positive'),
  unaryCase('Sqrt', b.sqrt, 'positive'),
  unaryCase('Reciprocal', b.reciprocal, 'positive'),
  unaryCase('Sigmoid', b.sigmoid),
  unaryCase('Tanh', b.tanh),
  { name: 'MatMul 2-D', op: 'MatMul', inputs: { a: { shape: [3, 4] }, c: { shape: [4, 2] } }, build: (x) => b.matmul(t(x, 'a'), t(x, 'c')) },
  { name: 'MatMul [2,3,4] @ [4,5] (flattened weight gradient)', op: 'MatMul', inputs: { a: { shape: [2, 3, 4] }, c: { shape: [4, 5] } }, build: (x) => b.matmul(t(x, 'a'), t(x, 'c')) },
  { name: 'MatMul batched [2,3,4] @ [2,4,5]', op: 'MatMul', inputs: { a: { shape: [2, 3, 4] }, c: { shape: [2, 4, 5] } }, build: (x) => b.matmul(t(x, 'a'), t(x, 'c')) },
  // The gradient of c sums 512 rows per batch: split in two chunks (ops/matmul.ts sumSplit), as an attention key gradient.
  { name: 'MatMul batched [2,512,3] @ [2,3,2] (split gradient of c)', op: 'MatMul', inputs: { a: { shape: [2, 512, 3] }, c: { shape: [2, 3, 2] } }, build: (x) => b.matmul(t(x, 'a'), t(x, 'c')) },
  { name: 'MatMul broadcast batch [2,1,3,4] @ [3,4,2]', op: 'MatMul', inputs: { a: { shape: [2, 1, 3, 4] }, c: { shape: [3, 4, 2] } }, build: (x) => b.matmul(t(x, 'a'), t(x, 'c')) },
  { name: 'MatMul [3,4] @ [2,4,5]', op: 'MatMul', inputs: { a: { shape: [3, 4] }, c: { shape: [2, 4, 5] } }, build: (x) => b.matmul(t(x, 'a'), t(x, 'c')) },
  ...[false, true].flatMap((transA) =>
    [false, true].map(
      (transB): GradCase => ({
        name: `Gemm transA=${transA} transB=${transB}`,
        op: 'Gemm',
        inputs: { a: { shape: transA ? [4, 3] : [3, 4] }, c: { shape: transB ? [5, 4] : [4, 5] } },
        build: (x) => b.gemm(t(x, 'a'), t(x, 'c'), { transA, transB }),
      }),
    ),
  ),
  {
    name: 'Gemm transB alpha=0.75 (an attribute)',
    op: 'Gemm',
    inputs: { a: { shape: [3, 4] }, c: { shape: [5, 4] } },
    build: (x) => b.gemm(t(x, 'a'), t(x, 'c'), { transB: true, alpha: 0.75 }),
  },
  {
    name: 'Gemm transB alpha=0.5 with C',
    op: 'Gemm',
    inputs: { a: { shape: [3, 4] }, c: { shape: [5, 4] }, d: { shape: [3, 5] } },
    build: (x) => b.gemm(t(x, 'a'), t(x, 'c'), { transB: true, alpha: 0.5, c: t(x, 'd') }),
  },
  {
    name: 'Gemm alpha=1/3 with C (a Mul and an Add in float64)',
    op: 'Gemm',
    inputs: { a: { shape: [3, 4] }, c: { shape: [4, 5] }, d: { shape: [3, 5] } },
    build: (x) => b.gemm(t(x, 'a'), t(x, 'c'), { alpha: 1 / 3, c: t(x, 'd') }),
  },
  {
    name: 'Gemm transA alpha=1/3 (a Mul in float64)',
    op: 'Gemm',
    inputs: { a: { shape: [4, 3] }, c: { shape: [4, 5] } },
    build: (x) => b.gemm(t(x, 'a'), t(x, 'c'), { transA: true, alpha: 1 / 3 }),
  },
  { name: 'Transpose', op: 'Transpose', inputs: { a: { shape: [2, 3, 4] } }, build: (x) => b.transpose(t(x, 'a'), [2, 0, 1]) },
  { name: 'Reshape', op: 'Reshape', inputs: { a: { shape: [2, 3, 4] } }, build: (x) => b.reshape(t(x, 'a'), [6, -1]) },
  { name: 'Expand', op: 'Expand', inputs: { a: { shape: [3, 1] } }, build: (x) => b.expand(t(x, 'a'), [2, 3, 4]) },
  {
    name: 'Concat axis 1',
    op: 'Concat',
    inputs: { a: { shape: [2, 1, 3] }, c: { shape: [2, 2, 3] }, d: { shape: [2, 3, 3] } },
    build: (x) => b.concat([t(x, 'a'), t(x, 'c'), t(x, 'd')], 1),
  },
  {
    // Two parts want gradients: one Split, whose middle output is left unused.
    name: 'Concat axis 0, the middle part frozen',
    op: 'Concat',
    inputs: { a: { shape: [2, 3] }, c: { shape: [1, 3], grad: false }, d: { shape: [3, 3] } },
    build: (x) => b.concat([t(x, 'a'), t(x, 'c'), t(x, 'd')], 0),
  },
  {
    // One part wants a gradient: a Slice.
    name: 'Concat axis -1, only the second part differentiated',
    op: 'Concat',
    inputs: { a: { shape: [2, 2], grad: false }, c: { shape: [2, 3] } },
    build: (x) => b.concat([t(x, 'a'), t(x, 'c')], -1),
  },
  { name: 'Slice two axes, negative end', op: 'Slice', inputs: { a: { shape: [4, 6] } }, build: (x) => b.slice(t(x, 'a'), [1, 2], [3, -1], [0, 1]) },
  {
    // The middle part gets no gradient (zeros in the Split's VJP); the others are weighted differently.
    name: 'Split axis -1, one part unused',
    op: 'Split',
    inputs: { a: { shape: [2, 3, 7] } },
    build: (x) => {
      const [p, , r] = b.split(t(x, 'a'), [2, 4, 1], -1);
      return b.concat([b.mul(p!, 3), b.exp(r!)], -1);
    },
  },
  { name: 'Pad', op: 'Pad', inputs: { a: { shape: [2, 3] } }, build: (x) => b.pad(t(x, 'a'), [1, 0, 0, 2]) },
  { name: 'ReduceSum axes [0,2]', op: 'ReduceSum', inputs: { a: { shape: [2, 3, 4] } }, build: (x) => b.reduceSum(t(x, 'a'), [0, 2]) },
  { name: 'ReduceSum keepdims', op: 'ReduceSum', inputs: { a: { shape: [2, 3, 4] } }, build: (x) => b.reduceSum(t(x, 'a'), [-1], true) },
  { name: 'ReduceMax axis 1', op: 'ReduceMax', inputs: { a: { shape: [2, 5, 3] } }, build: (x) => b.reduceMax(t(x, 'a'), [1]) },
  { name: 'ReduceMax keepdims', op: 'ReduceMax', inputs: { a: { shape: [3, 4] } }, build: (x) => b.reduceMax(t(x, 'a'), [0, 1], true) },
  {
    name: 'Gather rows (embedding)',
    op: 'Gather',
    inputs: { a: { shape: [5, 3] }, i: { shape: [2, 4], domain: 'indices', max: 5, grad: false } },
    build: (x) => b.gather(t(x, 'a'), t(x, 'i')),
  },
  {
    name: 'Where with broadcasting',
    op: 'Where',
    inputs: { c: { shape: [3, 1], grad: false }, a: { shape: [3, 4] }, d: { shape: [4] } },
    build: (x) => b.where(b.greater(t(x, 'c'), 0), t(x, 'a'), t(x, 'd')),
  },
  { name: 'Softmax', op: 'Softmax', inputs: { a: { shape: [2, 3, 5] } }, build: (x) => b.softmax(t(x, 'a')) },
];

const B = 2;
const T = 5;

/** linearCrossEntropy of hidden states [batch, seq, hidden] by a frozen [vocab, hidden] head, in row chunks. */
function linearCrossEntropyCase(what: string, shape: readonly [number, number, number], vocab: number, chunks: readonly number[]): GradCase {
  const [batch, seq, hidden] = shape;
  return {
    name: `linearCrossEntropy ${what}`,
    op: 'linearCrossEntropy',
    inputs: {
      a: { shape: [...shape] },
      w: { shape: [vocab, hidden], grad: false },
      y: { shape: [batch, seq], domain: 'labels', max: vocab, grad: false },
      m: { shape: [batch, seq], domain: 'mask', grad: false },
    },
    build: (x) => linearCrossEntropy(t(x, 'a'), t(x, 'w'), t(x, 'y'), t(x, 'm'), chunks),
  };
}

export const compositeCases: readonly GradCase[] = [
  { name: 'logSoftmax', op: 'logSoftmax', inputs: { a: { shape: [2, 3, 5] } }, build: (x) => logSoftmax(t(x, 'a')) },
  { name: 'SiLU', op: 'silu', inputs: { a: { shape: [3, 4] } }, build: (x) => silu(t(x, 'a')) },
  { name: 'RMSNorm', op: 'rmsNorm', inputs: { a: { shape: [2, 3, 8] }, w: { shape: [8] } }, build: (x) => rmsNorm(t(x, 'a'), t(x, 'w'), 1e-6) },
  {
    name: 'rotary (rotate_half)',
    op: 'rotary',
    inputs: { a: { shape: [2, 3, T, 8] } },
    build: (x) => {
      const a = t(x, 'a');
      const { cos, sin } = rotaryConstants(a.graph, rotaryTableData(T, 8, 10000, 'float64'), 'float64', [T, 8]);
      return applyRotary(a, cos, sin);
    },
  },
  {
    name: 'GQA causal attention (4 heads, 2 KV heads, rotary, padding mask)',
    op: 'causalAttention',
    inputs: { q: { shape: [B, T, 16] }, k: { shape: [B, T, 8] }, v: { shape: [B, T, 8] }, m: { shape: [B, T], domain: 'mask', grad: false } },
    build: (x) => causalAttention(t(x, 'q'), t(x, 'k'), t(x, 'v'), { nHeads: 4, nKvHeads: 2, headDim: 4, bias: attentionBias(t(x, 'm')), ropeTheta: 10000 }),
  },
  {
    name: 'masked cross-entropy',
    op: 'maskedCrossEntropy',
    inputs: { a: { shape: [B, T, 7] }, y: { shape: [B, T], domain: 'labels', max: 7, grad: false }, m: { shape: [B, T], domain: 'mask', grad: false } },
    build: (x) => maskedCrossEntropy(t(x, 'a'), t(x, 'y'), t(x, 'm')),
  },
  // The gradient is written by hand (softmax - onehot, chunk by chunk in the forward pass): FD checks it. With 512
  // tokens each chunk's x gradient, a sum over the vocabulary, is split in two (ops/matmul.ts splitSumProduct).
  linearCrossEntropyCase('in 3 chunks of 3, 2, 1 rows (head frozen, one row masked)', [2, 3, 4], 7, [3, 2, 1]),
  linearCrossEntropyCase('over a 512-token vocabulary in 2 chunks (the head product split)', [2, 2, 3], 512, [2, 2]),
  {
    name: 'linear with bias',
    op: 'linear',
    inputs: { a: { shape: [2, 3, 6] }, w: { shape: [5, 6] }, c: { shape: [5] } },
    build: (x) => linear(t(x, 'a'), t(x, 'w'), t(x, 'c')),
  },
  {
    name: 'LoRA linear (W frozen, bias)',
    op: 'loraLinear',
    inputs: { a: { shape: [2, 3, 6] }, w: { shape: [5, 6], grad: false }, c: { shape: [5], grad: false }, la: { shape: [2, 6] }, lb: { shape: [5, 2] } },
    build: (x) => loraLinear(t(x, 'a'), { weight: t(x, 'w'), bias: t(x, 'c'), loraA: t(x, 'la'), loraB: t(x, 'lb'), alpha: 4 }),
  },
  {
    // 2 x 256 rows: the A and B gradients are sums over 512 rows, split into two chunks (ops/matmul.ts sumSplit).
    name: 'LoRA linear over 512 rows (split weight gradients, alpha/r = 3)',
    op: 'loraLinear',
    inputs: { a: { shape: [2, 256, 3], grad: false }, w: { shape: [4, 3], grad: false }, la: { shape: [2, 3] }, lb: { shape: [4, 2] } },
    build: (x) => loraLinear(t(x, 'a'), { weight: t(x, 'w'), loraA: t(x, 'la'), loraB: t(x, 'lb'), alpha: 6 }),
  },
  {
    // q, k, v of a layer: one product by the stacked weights, then a Split (the gradient of x is one product).
    name: 'stacked linears: LoRA of ranks 2 and 3 on the first and third, a bias on the second only (W frozen)',
    op: 'linears',
    inputs: {
      a: { shape: [2, 3, 6] },
      w0: { shape: [5, 6], grad: false },
      w1: { shape: [3, 6], grad: false },
      c1: { shape: [3] },
      w2: { shape: [3, 6], grad: false },
      la0: { shape: [2, 6] },
      lb0: { shape: [5, 2] },
      la2: { shape: [3, 6] },
      lb2: { shape: [3, 3] },
    },
    build: (x) =>
      b.concat(
        linears(t(x, 'a'), [
          { weight: t(x, 'w0'), loraA: t(x, 'la0'), loraB: t(x, 'lb0'), alpha: 4 },
          { weight: t(x, 'w1'), bias: t(x, 'c1') },
          { weight: t(x, 'w2'), loraA: t(x, 'la2'), loraB: t(x, 'lb2'), alpha: 6 },
        ]),
        -1,
      ),
  },
  {
    name: 'toy decoder block with LoRA on q and v: masked loss wrt the LoRA tensors',
    op: 'toyBlock',
    inputs: {
      input_ids: { shape: [toy.batch, toy.seq], domain: 'indices', max: toy.vocab, grad: false },
      attention_mask: { shape: [toy.batch, toy.seq], domain: 'mask', grad: false },
      labels: { shape: [toy.batch, toy.seq], domain: 'labels', max: toy.vocab, grad: false },
      loss_mask: { shape: [toy.batch, toy.seq], domain: 'mask', grad: false },
      ...Object.fromEntries(
        Object.entries(toyWeights).map(([name, shape]) => [name, { shape, grad: (toyTrainable as readonly string[]).includes(name) }]),
      ),
    },
    build: toyLoss,
  },
];
