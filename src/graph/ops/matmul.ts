import type { Attrs, GradContext, OpDef, Tensor, TensorType } from '../ir.ts';
import { GraphError, broadcastShapes, formatShape } from '../shape.ts';
import { boolAttr, emitSimple, requireFloat, requireSameDType } from './common.ts';

/**
 * MatMul: batched, both operands rank >= 2, batch dimensions broadcast. Gemm: 2-D only, transA/transB,
 * alpha, and an optional C of the product's shape added to it (beta 1; no broadcast). Linear layers use MatMul (nn/lora.ts), and MatMul's gradients are MatMuls: in an H200
 * profile onnxruntime-web's WebGPU MatMul kernel (32x32 tiles, 4x4 outputs per thread, vec4 loads) ran
 * ~18 TFLOP/s where its Gemm kernel (16x16 tiles, one output per thread) ran 3.2 (transB) to 7.4
 * (bench/engine/gpu/README.md). Gemm stays for the small rank-r LoRA products.
 */

/** A split of the rows is only worth a kernel more when each chunk still has this many rows. */
const MIN_SPLIT_ROWS = 256;
/** At most this many chunks (their sum is a MatMul with K = the number of chunks). */
const MAX_SPLIT = 16;
/** Products with at most this many outputs (a few 32x32 tiles, e.g. a LoRA weight gradient) are split. */
const MAX_SPLIT_OUTPUTS = 64 * 1024;

/**
 * How many chunks the M rows of a^T c (a [M, K], c [M, N]) are cut into: a long sum into a small output
 * gives a GPU only a few workgroups; S chunks give S times as many, and one more MatMul adds the S partial
 * products (transposedProduct). 1 means no split. Pure, exported for tests.
 */
export function rowSplit(m: number, k: number, n: number): number {
  if (k * n > MAX_SPLIT_OUTPUTS) return 1;
  let s = 1;
  while (s * 2 <= MAX_SPLIT && m % (s * 2) === 0 && m / (s * 2) >= MIN_SPLIT_ROWS) s *= 2;
  return s;
}

/**
 * scale * a^T c over the last two axes (a [..., M, K], c [..., M, N] -> [..., K, N]), batch axes broadcast,
 * as MatMuls. It transposes whichever costs fewer elements: a, or c and the [N, K] product ((c^T a)^T; when a
 * is a weight's activations that outer Transpose cancels against the weight's own, see builders.transpose).
 * 2-D operands with many rows and a small product are split along M (rowSplit); the S partial products are
 * then summed and scaled by one more MatMul, by a [1, S] row of `scale` (no ReduceSum and no Mul kernel).
 */
export function transposedProduct(b: GradContext['b'], a: Tensor, c: Tensor, scale = 1): Tensor {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = c.shape[c.shape.length - 1]!;
  const transposeA = m * k <= m * n + k * n;
  const [left, right] = transposeA ? [a, c] : [c, a];
  const split = a.shape.length === 2 && c.shape.length === 2 ? rowSplit(m, k, n) : 1;
  let product: Tensor;
  if (split > 1) {
    const chunks = (x: Tensor) => b.reshape(x, [split, m / split, x.shape[1]!]);
    const partial = b.matmul(b.transposeLast2(chunks(left)), chunks(right)); // [S, p, q]
    const [p, q] = partial.shape.slice(1) as [number, number];
    const g = a.graph;
    const row = g.memo(`split-sum:${split}:${scale}:${a.dtype}`, () => g.constant(a.dtype, [1, split], new Array<number>(split).fill(scale)));
    product = b.reshape(b.matmul(row, b.reshape(partial, [split, p * q])), [p, q]);
  } else {
    product = b.mul(b.matmul(b.transposeLast2(left), right), scale);
  }
  return transposeA ? product : b.transposeLast2(product);
}

export const MatMul: OpDef = {
  op: 'MatMul',
  arity: 2,
  infer: ([a, b]: readonly TensorType[]) => {
    const dtype = requireSameDType('MatMul', [a!, b!]);
    requireFloat('MatMul', a!);
    if (a!.shape.length < 2 || b!.shape.length < 2) {
      throw new GraphError(`MatMul: operands must have rank >= 2, got ${formatShape(a!.shape)} and ${formatShape(b!.shape)}`);
    }
    const [m, k] = a!.shape.slice(-2) as [number, number];
    const [k2, n] = b!.shape.slice(-2) as [number, number];
    if (k !== k2) throw new GraphError(`MatMul: inner dimensions differ: ${formatShape(a!.shape)} @ ${formatShape(b!.shape)} (${k} vs ${k2})`);
    const batch = broadcastShapes(a!.shape.slice(0, -2), b!.shape.slice(0, -2), 'MatMul batch dimensions');
    return [{ dtype, shape: [...batch, m, n] }];
  },
  emit: (node, ctx) => emitSimple(node, ctx),
  grad: ({ node, gy, wants, b }) => {
    const [x, w] = node.inputs as [Tensor, Tensor];
    const g = gy[0]!;
    const gx = wants[0] ? b.sumTo(b.matmul(g, b.transposeLast2(w)), x.shape) : undefined;
    let gw: Tensor | undefined;
    if (wants[1]) {
      if (w.shape.length === 2 && x.shape.length > 2) {
        // Flatten the batch into rows: one product (x^T g) instead of a batched MatMul plus a ReduceSum.
        const k = x.shape[x.shape.length - 1]!;
        const n = g.shape[g.shape.length - 1]!;
        gw = transposedProduct(b, b.reshape(x, [-1, k]), b.reshape(g, [-1, n]));
      } else {
        gw = b.sumTo(transposedProduct(b, x, g), w.shape);
      }
    }
    return [gx, gw];
  },
};

export const Gemm: OpDef = {
  op: 'Gemm',
  arity: [2, 3],
  infer: ([a, b, c]: readonly TensorType[], attrs) => {
    const dtype = requireSameDType('Gemm', c === undefined ? [a!, b!] : [a!, b!, c]);
    requireFloat('Gemm', a!);
    if (a!.shape.length !== 2 || b!.shape.length !== 2) {
      throw new GraphError(`Gemm: operands must be 2-D, got ${formatShape(a!.shape)} and ${formatShape(b!.shape)}`);
    }
    const [a0, a1] = a!.shape as [number, number];
    const [b0, b1] = b!.shape as [number, number];
    const [m, k] = boolAttr(attrs, 'transA', false) ? [a1, a0] : [a0, a1];
    const [k2, n] = boolAttr(attrs, 'transB', false) ? [b1, b0] : [b0, b1];
    if (k !== k2) {
      throw new GraphError(
        `Gemm: inner dimensions differ: ${formatShape(a!.shape)}${attrs['transA'] ? '^T' : ''} @ ${formatShape(b!.shape)}${attrs['transB'] ? '^T' : ''} (${k} vs ${k2})`,
      );
    }
    if (c !== undefined && (c.shape.length !== 2 || c.shape[0] !== m || c.shape[1] !== n)) {
      throw new GraphError(`Gemm: C must be [${m},${n}] (the product's shape), got ${formatShape(c.shape)}`);
    }
    return [{ dtype, shape: [m, n] }];
  },
  emit: (node, ctx) => {
    const transA = boolAttr(node.attrs, 'transA', false);
    const transB = boolAttr(node.attrs, 'transB', false);
    const alpha = gemmAlpha(node.attrs);
    emitSimple(node, ctx, {
      ...(transA ? { transA: { int: 1 } } : {}),
      ...(transB ? { transB: { int: 1 } } : {}),
      ...(alpha !== 1 ? { alpha: { float: alpha } } : {}),
    });
  },
  grad: ({ node, gy, wants, b }) => {
    // y = alpha op(A) op(B), with op = transpose or identity. The gradient of A is one Gemm; that of B is
    // alpha a^T c (transposedProduct, split along a long sum) when A is not transposed, as in a LoRA factor x B^T.
    const [x, w] = node.inputs as [Tensor, Tensor];
    const g = gy[0]!;
    const tA = boolAttr(node.attrs, 'transA', false);
    const tB = boolAttr(node.attrs, 'transB', false);
    const alpha = gemmAlpha(node.attrs);
    const gc = wants[2] ? g : undefined; // y = ... + C (beta 1)
    let gx: Tensor | undefined;
    let gw: Tensor | undefined;
    if (wants[0]) gx = tA ? b.gemm(w, g, { transA: tB, transB: true, alpha }) : b.gemm(g, w, { transB: !tB, alpha });
    if (wants[1]) {
      if (tA) gw = tB ? b.gemm(g, x, { transA: true, transB: true, alpha }) : b.gemm(x, g, { alpha });
      else gw = tB ? transposedProduct(b, g, x, alpha) : transposedProduct(b, x, g, alpha);
    }
    return node.inputs.length === 3 ? [gx, gw, gc] : [gx, gw];
  },
};

/** Gemm's alpha attribute (1 when absent). ONNX stores it as a float32; builders.gemm only sets exact ones. */
function gemmAlpha(attrs: Attrs): number {
  const alpha = attrs['alpha'];
  return typeof alpha === 'number' ? alpha : 1;
}

export const matmulOps: readonly OpDef[] = [MatMul, Gemm];
