import type { OpDef, Tensor, TensorType } from '../ir.ts';
import { GraphError, broadcastShapes, formatShape } from '../shape.ts';
import { boolAttr, emitSimple, requireFloat, requireSameDType } from './common.ts';

/**
 * MatMul: batched, both operands rank >= 2, batch dimensions broadcast (attention uses this to share
 * a KV head across its query group without Expand). Gemm: 2-D only, transA/transB, no bias; linear
 * layers use it so that neither the forward (x W^T) nor the backward (g W, g^T x) ever materialises
 * a Transpose of a weight, whether the weight is an initializer or a graph input.
 */

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
        // Flatten the batch into rows: one Gemm (x^T g) instead of a batched MatMul plus a ReduceSum.
        const k = x.shape[x.shape.length - 1]!;
        const n = g.shape[g.shape.length - 1]!;
        gw = b.gemm(b.reshape(x, [-1, k]), b.reshape(g, [-1, n]), { transA: true });
      } else {
        gw = b.sumTo(b.matmul(b.transposeLast2(x), g), w.shape);
      }
    }
    return [gx, gw];
  },
};

export const Gemm: OpDef = {
  op: 'Gemm',
  arity: 2,
  infer: ([a, b]: readonly TensorType[], attrs) => {
    const dtype = requireSameDType('Gemm', [a!, b!]);
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
    return [{ dtype, shape: [m, n] }];
  },
  emit: (node, ctx) => {
    const transA = boolAttr(node.attrs, 'transA', false);
    const transB = boolAttr(node.attrs, 'transB', false);
    emitSimple(node, ctx, { ...(transA ? { transA: { int: 1 } } : {}), ...(transB ? { transB: { int: 1 } } : {}) });
  },
  grad: ({ node, gy, wants, b }) => {
    // y = op(A) op(B), with op = transpose or identity; each case keeps the gradient a single Gemm.
    const [x, w] = node.inputs as [Tensor, Tensor];
    const g = gy[0]!;
    const tA = boolAttr(node.attrs, 'transA', false);
    const tB = boolAttr(node.attrs, 'transB', false);
    let gx: Tensor | undefined;
    let gw: Tensor | undefined;
    if (wants[0]) gx = tA ? b.gemm(w, g, { transA: tB, transB: true }) : b.gemm(g, w, { transB: !tB });
    if (wants[1]) gw = tB ? b.gemm(g, x, { transA: true, transB: tA }) : b.gemm(x, g, { transA: !tA });
    return [gx, gw];
  },
};

export const matmulOps: readonly OpDef[] = [MatMul, Gemm];
