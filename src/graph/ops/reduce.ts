import type { Attrs, OpDef, Tensor, TensorType } from '../ir.ts';
import { GraphError, normalizeAxis, sameShape } from '../shape.ts';
import { boolAttr, emitSimple, intsAttr, requireFloat } from './common.ts';

/**
 * ReduceSum and ReduceMax over explicit axes (never "all axes by omission"). In opset 17 ReduceSum
 * takes its axes as an int64 input and ReduceMax as an attribute; the IR keeps both as attributes.
 */

export function reduceAxes(op: string, x: TensorType, attrs: Attrs): number[] {
  const axes = intsAttr(op, attrs, 'axes').map((a) => normalizeAxis(a, x.shape.length, op));
  if (axes.length === 0) throw new GraphError(`${op}: axes must not be empty`);
  if (new Set(axes).size !== axes.length) throw new GraphError(`${op}: axes ${axes.join(',')} repeat an axis`);
  return axes.sort((a, b) => a - b);
}

/** Shape of the result with the reduced axes kept as 1. */
export function keptShape(x: TensorType, axes: readonly number[]): number[] {
  return x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reduce(op: 'ReduceSum' | 'ReduceMax', grad: OpDef['grad']): OpDef {
  return {
    op,
    arity: 1,
    infer: ([x]: readonly TensorType[], attrs) => {
      requireFloat(op, x!);
      const axes = reduceAxes(op, x!, attrs);
      const kept = keptShape(x!, axes);
      return [{ dtype: x!.dtype, shape: boolAttr(attrs, 'keepdims', false) ? kept : kept.filter((_, i) => !axes.includes(i)) }];
    },
    emit: (node, ctx) => {
      const axes = reduceAxes(op, node.inputs[0]!, node.attrs);
      const keepdims = { int: boolAttr(node.attrs, 'keepdims', false) ? 1 : 0 };
      if (op === 'ReduceSum') emitSimple(node, ctx, { keepdims }, [ctx.int64s(axes)]);
      else emitSimple(node, ctx, { axes: { ints: axes }, keepdims });
    },
    ...(grad ? { grad } : {}),
  };
}

/** The cotangent of a reduction, reshaped so that it broadcasts against the input. */
function keptCotangent(b: Parameters<NonNullable<OpDef['grad']>>[0]['b'], x: Tensor, g: Tensor, axes: readonly number[]): Tensor {
  const kept = keptShape(x, axes);
  // When only leading axes were reduced, g already broadcasts against x: no Reshape needed.
  const firstKept = kept.findIndex((d, i) => d !== 1 || !axes.includes(i));
  const trimmed = firstKept < 0 ? [] : kept.slice(firstKept);
  if (sameShape(g.shape, trimmed) || g.shape.length === kept.length) return g;
  return b.reshape(g, kept);
}

export const ReduceSum = reduce('ReduceSum', ({ node, gy, wants, b }) => {
  if (!wants[0]) return [undefined];
  const x = node.inputs[0]!;
  const axes = reduceAxes('ReduceSum', x, node.attrs);
  return [b.expand(keptCotangent(b, x, gy[0]!, axes), x.shape)];
});

/** At ties the cotangent is shared equally among the maxima (as torch.amax does). */
export const ReduceMax = reduce('ReduceMax', ({ node, gy, wants, b }) => {
  if (!wants[0]) return [undefined];
  const x = node.inputs[0]!;
  const axes = reduceAxes('ReduceMax', x, node.attrs);
  const y = keptCotangent(b, x, node.outputs[0]!, axes);
  const isMax = b.cast(b.equal(x, y), x.dtype);
  const count = b.reduceSum(isMax, axes, true);
  return [b.mul(isMax, b.div(keptCotangent(b, x, gy[0]!, axes), count))];
});

export const reduceOps: readonly OpDef[] = [ReduceSum, ReduceMax];
