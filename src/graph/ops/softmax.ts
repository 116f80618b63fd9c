import type { OpDef, TensorType } from '../ir.ts';
import { GraphError, normalizeAxis } from '../shape.ts';
import { emitSimple, intAttr, requireFloat } from './common.ts';

/**
 * Softmax over the last axis, a primitive with its own rule although it is expressible in
 * primitives: the WebGPU EP runs it as one kernel, where the composite (ReduceMax, Sub, Exp,
 * ReduceSum, Div) would be five kernels and four extra [.., T, T] tensors per attention layer.
 * VJP: dx = y * (g - sum(g * y, -1)).
 */
export const Softmax: OpDef = {
  op: 'Softmax',
  arity: 1,
  infer: ([x]: readonly TensorType[], attrs) => {
    requireFloat('Softmax', x!);
    const rank = x!.shape.length;
    if (normalizeAxis(intAttr('Softmax', attrs, 'axis', -1), rank, 'Softmax') !== rank - 1) {
      throw new GraphError('Softmax: only the last axis is supported');
    }
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  emit: (node, ctx) => emitSimple(node, ctx, { axis: { int: -1 } }),
  grad: ({ node, gy, wants, b }) => {
    if (!wants[0]) return [undefined];
    const y = node.outputs[0]!;
    const g = gy[0]!;
    return [b.mul(y, b.sub(g, b.reduceSum(b.mul(g, y), [-1], true)))];
  },
};

/**
 * StopGradient: the identity in the forward pass, a wall for gradients. Emits no node (its output is
 * an alias of its input). Used where a value is mathematically gradient-free, such as the max
 * subtracted for stability in log-softmax, so that no gradient work is spent on it.
 */
export const StopGradient: OpDef = {
  op: 'StopGradient',
  arity: 1,
  infer: ([x]: readonly TensorType[]) => [{ dtype: x!.dtype, shape: x!.shape }],
  emit: (node, ctx) => ctx.alias(node.outputs[0]!, node.inputs[0]!),
};

export const softmaxOps: readonly OpDef[] = [Softmax, StopGradient];
