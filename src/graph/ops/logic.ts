import { type DType, isFloat } from '../dtype.ts';
import type { OpDef, TensorType } from '../ir.ts';
import { GraphError, broadcastShapes } from '../shape.ts';
import { emitSimple, requireFloat, requireSameDType } from './common.ts';

/**
 * Comparisons, Where and Cast. Comparisons take float operands only: int64 comparisons fall back to
 * the CPU on onnxruntime-web's WebGPU EP (DESIGN.md), which is why labels and masks are float.
 * Comparisons have no gradient; Where routes the cotangent; Cast between floats casts it back.
 */

function comparison(op: 'Equal' | 'Less' | 'Greater'): OpDef {
  return {
    op,
    arity: 2,
    infer: ([a, b]: readonly TensorType[]) => {
      requireSameDType(op, [a!, b!]);
      if (!isFloat(a!.dtype)) {
        throw new GraphError(`${op}: compares float tensors only (got ${a!.dtype}); int64 comparisons leave the GPU on WebGPU, so keep labels and masks float`);
      }
      return [{ dtype: 'bool', shape: broadcastShapes(a!.shape, b!.shape, op) }];
    },
    emit: (node, ctx) => emitSimple(node, ctx),
  };
}
export const Equal = comparison('Equal');
export const Less = comparison('Less');
export const Greater = comparison('Greater');

export const Where: OpDef = {
  op: 'Where',
  arity: 3,
  infer: ([c, a, b]: readonly TensorType[]) => {
    if (c!.dtype !== 'bool') throw new GraphError(`Where: condition must be bool, got ${c!.dtype}`);
    const dtype = requireSameDType('Where', [a!, b!]);
    requireFloat('Where', a!);
    return [{ dtype, shape: broadcastShapes(broadcastShapes(c!.shape, a!.shape, 'Where'), b!.shape, 'Where') }];
  },
  emit: (node, ctx) => emitSimple(node, ctx),
  grad: ({ node, gy, wants, b }) => {
    const [c, x, y] = node.inputs;
    const g = gy[0]!;
    const zero = g.graph.scalar(0, g.dtype);
    return [
      undefined,
      wants[1] ? b.sumTo(b.where(c!, g, zero), x!.shape) : undefined,
      wants[2] ? b.sumTo(b.where(c!, zero, g), y!.shape) : undefined,
    ];
  },
};

/** ONNX TensorProto.DataType codes of the dtypes we use. */
export const onnxDataType: Readonly<Record<DType, number>> = { float32: 1, int64: 7, bool: 9, float64: 11 };

export const Cast: OpDef = {
  op: 'Cast',
  arity: 1,
  infer: ([x]: readonly TensorType[], attrs) => {
    const to = attrs['to'];
    if (typeof to !== 'string' || !(to in onnxDataType)) throw new GraphError(`Cast: attribute to must be a dtype, got ${String(to)}`);
    if (to === x!.dtype) throw new GraphError(`Cast: input is already ${to} (a needless Cast)`);
    return [{ dtype: to as DType, shape: x!.shape }];
  },
  emit: (node, ctx) => emitSimple(node, ctx, { to: { int: onnxDataType[node.attrs['to'] as DType] } }),
  grad: ({ node, gy, wants, b }) => {
    const x = node.inputs[0]!;
    if (!wants[0] || !isFloat(x.dtype) || !isFloat(node.outputs[0]!.dtype)) return [undefined];
    return [b.cast(gy[0]!, x.dtype)];
  },
};

export const logicOps: readonly OpDef[] = [Equal, Less, Greater, Where, Cast];
