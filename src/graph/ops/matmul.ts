import type { Attrs, GradContext, OpDef, Tensor, TensorType } from '../ir.ts';
import { GraphError, broadcastShapes, formatShape, sameShape, sizeOf } from '../shape.ts';
import { boolAttr, emitSimple, requireFloat, requireSameDType } from './common.ts';

/**
 * MatMul: batched, both operands rank >= 2, batch dimensions broadcast. Gemm: 2-D only, transA/transB,
 * alpha, and an optional C of the product's shape added to it (beta 1; no broadcast). Linear layers use MatMul (nn/lora.ts), and MatMul's gradients are MatMuls: in an H200
 * profile onnxruntime-web's WebGPU MatMul kernel (32x32 tiles, 4x4 outputs per thread, vec4 loads) ran
 * ~18 TFLOP/s where its Gemm kernel (16x16 tiles, one output per thread) ran 3.2 (transB) to 7.4
 * (bench/engine/gpu/README.md). Gemm stays for the small rank-r LoRA products.
 */

/** onnxruntime-web's WebGPU MatMul kernel computes a 32x32 tile of the product per workgroup (64 threads). */
const TILE = 32;
/**
 * Products whose output has fewer tiles than this are split along their sum. 2,304 workgroups (17 per SM of the
 * H100's and H200's 132) ran the attention products [8,3,3,512,64] x [8,3,1,64,512] at ~18 TFLOP/s in the H200
 * profile (bench/engine/gpu/README.md); a product with a quarter of the workgroups keeps a quarter of the threads
 * busy while each runs 4 times as long a sum.
 */
const MIN_TILES = 2304;
/** A split of a sum is only worth a kernel more when each chunk still sums this many terms. */
const MIN_SPLIT_TERMS = 256;
/** At most this many chunks (their sum is a MatMul with K = the number of chunks). */
const MAX_SPLIT = 16;

/** The workgroups (32x32 tiles) of a [batch..., rows, cols] product. Pure, exported for tests. */
export function outputTiles(batch: number, rows: number, cols: number): number {
  return batch * Math.ceil(rows / TILE) * Math.ceil(cols / TILE);
}

/**
 * How many chunks a product's sum of `terms` terms is cut into when its output has `tiles` tiles: the smallest
 * power of two that brings the chunks' products to MIN_TILES, within MAX_SPLIT and MIN_SPLIT_TERMS and dividing
 * the sum evenly. One more MatMul then adds the partial products (transposedProduct, splitSumProduct). 1 means no
 * split. Pure, exported for tests.
 */
export function sumSplit(terms: number, tiles: number): number {
  let s = 1;
  while (s * tiles < MIN_TILES && s * 2 <= MAX_SPLIT && terms % (s * 2) === 0 && terms / (s * 2) >= MIN_SPLIT_TERMS) s *= 2;
  return s;
}

/** Whether the graph of `t` splits long sums (ir.ts GraphOptions.splitSums, default true). */
function splitsSums(t: Tensor): boolean {
  return t.graph.options.splitSums ?? true;
}

/** scale * the sum over axis -3 of partial [..., S, p, q], as one MatMul by a [1, S] row of `scale` (no ReduceSum, no Mul). */
function sumPartials(b: GradContext['b'], partial: Tensor, scale: number): Tensor {
  const lead = partial.shape.slice(0, -3);
  const [split, p, q] = partial.shape.slice(-3) as [number, number, number];
  const g = partial.graph;
  const row = g.memo(`split-sum:${split}:${scale}:${partial.dtype}`, () => g.constant(partial.dtype, [1, split], new Array<number>(split).fill(scale)));
  return b.reshape(b.matmul(row, b.reshape(partial, [...lead, split, p * q])), [...lead, p, q]);
}

/**
 * scale * a^T c over the last two axes (a [..., M, K], c [..., M, N] -> [..., K, N]), batch axes broadcast,
 * as MatMuls. It transposes whichever costs fewer elements: a, or c and the [N, K] product ((c^T a)^T; when a
 * is a weight's activations that outer Transpose cancels against the weight's own, see builders.transpose).
 * When a and c have the same batch axes and the product few tiles for its long sum over M (a LoRA weight
 * gradient; the attention's key and value gradients, summed over a query group's rows), M is cut into S chunks
 * (sumSplit; a free Reshape of both) and the S partial products summed by one more MatMul.
 */
export function transposedProduct(b: GradContext['b'], a: Tensor, c: Tensor, scale = 1): Tensor {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = c.shape[c.shape.length - 1]!;
  const lead = a.shape.slice(0, -2);
  const transposeA = m * k <= m * n + k * n;
  const [left, right] = transposeA ? [a, c] : [c, a];
  const split = splitsSums(a) && sameShape(lead, c.shape.slice(0, -2)) ? sumSplit(m, outputTiles(sizeOf(lead), k, n)) : 1;
  let product: Tensor;
  if (split > 1) {
    const chunks = (x: Tensor) => b.reshape(x, [...lead, split, m / split, x.shape[x.shape.length - 1]!]);
    product = sumPartials(b, b.matmul(b.transposeLast2(chunks(left)), chunks(right)), scale); // partial [..., S, p, q]
  } else {
    product = b.mul(b.matmul(b.transposeLast2(left), right), scale);
  }
  return transposeA ? product : b.transposeLast2(product);
}

/**
 * a c for a [M, K], c [K, N], with its sum over K cut into S chunks (sumSplit) when the [M, N] output has few tiles
 * for a long sum: the S partial products are one batched MatMul of a's column blocks (a Transpose of a to [S, M,
 * K/S], one pass over it) by c's row blocks (a free Reshape), summed by one more MatMul. The head's x gradient in
 * the chunked loss (nn/loss.ts: [1024, 49152] x [49152, 576], 576 tiles) is such a product.
 */
export function splitSumProduct(b: GradContext['b'], a: Tensor, c: Tensor): Tensor {
  if (a.shape.length !== 2 || c.shape.length !== 2) throw new GraphError(`splitSumProduct: operands must be 2-D, got ${formatShape(a.shape)} and ${formatShape(c.shape)}`);
  const [m, k] = a.shape as [number, number];
  const n = c.shape[1]!;
  const split = splitsSums(a) ? sumSplit(k, outputTiles(1, m, n)) : 1;
  if (split === 1) return b.matmul(a, c);
  const blocks = b.transpose(b.reshape(a, [m, split, k / split]), [1, 0, 2]); // [S, M, K/S]
  return sumPartials(b, b.matmul(blocks, b.reshape(c, [split, k / split, n])), 1);
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
