import type { Attrs, OpDef, Tensor, TensorType } from '../ir.ts';
import { GraphError, broadcastShapes, formatShape, normalizeAxis, sameShape, sizeOf } from '../shape.ts';
import { emitSimple, intAttr, intsAttr, requireSameDType } from './common.ts';

/**
 * Ops that move data without arithmetic: Reshape, Transpose, Expand, Concat, Slice (step 1), Split (into
 * parts of given sizes, ONNX's `split` input; never `num_outputs`, see onnx/placement.ts) and Pad (zeros; it
 * exists as the gradient of Slice). Shape arguments are IR attributes with concrete
 * dimensions (no -1 or 0 placeholders) and become int64 initializers at emission.
 */

/**
 * The most parts one Concat or Split kernel may have: WebGPU binds each input and output as a storage buffer, and
 * a device has 8 per shader stage unless more are requested (onnxruntime-web 1.30 does not). 7 parts + the whole.
 */
export const MAX_KERNEL_PARTS = 7;

export const Reshape: OpDef = {
  op: 'Reshape',
  arity: 1,
  infer: ([x]: readonly TensorType[], attrs) => {
    const shape = intsAttr('Reshape', attrs, 'shape');
    if (shape.some((d) => d < 0)) throw new GraphError(`Reshape: target ${formatShape(shape)} must be concrete (the builder resolves -1)`);
    if (sizeOf(shape) !== sizeOf(x!.shape)) {
      throw new GraphError(`Reshape: cannot reshape ${formatShape(x!.shape)} (${sizeOf(x!.shape)} elements) to ${formatShape(shape)} (${sizeOf(shape)} elements)`);
    }
    return [{ dtype: x!.dtype, shape }];
  },
  emit: (node, ctx) => emitSimple(node, ctx, undefined, [ctx.int64s(intsAttr('Reshape', node.attrs, 'shape'))]),
  grad: ({ node, gy, wants, b }) => [wants[0] ? b.reshape(gy[0]!, node.inputs[0]!.shape) : undefined],
};

export function checkPerm(perm: readonly number[], rank: number): void {
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== rank || !sorted.every((p, i) => p === i)) {
    throw new GraphError(`Transpose: perm [${perm.join(',')}] is not a permutation of ${rank} axes`);
  }
}

export const Transpose: OpDef = {
  op: 'Transpose',
  arity: 1,
  infer: ([x]: readonly TensorType[], attrs) => {
    const perm = intsAttr('Transpose', attrs, 'perm');
    checkPerm(perm, x!.shape.length);
    return [{ dtype: x!.dtype, shape: perm.map((p) => x!.shape[p]!) }];
  },
  emit: (node, ctx) => emitSimple(node, ctx, { perm: { ints: intsAttr('Transpose', node.attrs, 'perm') } }),
  grad: ({ node, gy, wants, b }) => {
    if (!wants[0]) return [undefined];
    const perm = intsAttr('Transpose', node.attrs, 'perm');
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [b.transpose(gy[0]!, inverse)];
  },
};

export const Expand: OpDef = {
  op: 'Expand',
  arity: 1,
  infer: ([x]: readonly TensorType[], attrs) => {
    const shape = intsAttr('Expand', attrs, 'shape');
    const out = broadcastShapes(x!.shape, shape, 'Expand');
    if (!sameShape(out, shape)) throw new GraphError(`Expand: ${formatShape(x!.shape)} does not expand to exactly ${formatShape(shape)}`);
    return [{ dtype: x!.dtype, shape }];
  },
  emit: (node, ctx) => emitSimple(node, ctx, undefined, [ctx.int64s(intsAttr('Expand', node.attrs, 'shape'))]),
  grad: ({ node, gy, wants, b }) => [wants[0] ? b.sumTo(gy[0]!, node.inputs[0]!.shape) : undefined],
};

export const Concat: OpDef = {
  op: 'Concat',
  arity: [1, 1024],
  infer: (xs: readonly TensorType[], attrs) => {
    const dtype = requireSameDType('Concat', xs);
    const first = xs[0]!;
    const axis = normalizeAxis(intAttr('Concat', attrs, 'axis'), first.shape.length, 'Concat');
    let total = 0;
    for (const x of xs) {
      const ok = x.shape.length === first.shape.length && x.shape.every((d, i) => i === axis || d === first.shape[i]);
      if (!ok) throw new GraphError(`Concat: shapes ${xs.map((t) => formatShape(t.shape)).join(', ')} differ outside axis ${axis}`);
      total += x.shape[axis]!;
    }
    return [{ dtype, shape: first.shape.map((d, i) => (i === axis ? total : d)) }];
  },
  emit: (node, ctx) => {
    const axis = normalizeAxis(intAttr('Concat', node.attrs, 'axis'), node.inputs[0]!.shape.length, 'Concat');
    emitSimple(node, ctx, { axis: { int: axis } });
  },
  grad: ({ node, gy, wants, b }) => {
    const axis = normalizeAxis(intAttr('Concat', node.attrs, 'axis'), node.inputs[0]!.shape.length, 'Concat');
    const sizes = node.inputs.map((x) => x.shape[axis]!);
    if (wants.filter(Boolean).length > 1 && sizes.length <= MAX_KERNEL_PARTS) {
      // One Split kernel for every part (the parts nobody wants are left unused) instead of a Slice per part.
      const parts = b.split(gy[0]!, sizes, axis);
      return parts.map((part, i) => (wants[i] ? part : undefined));
    }
    let offset = 0;
    return node.inputs.map((x, i) => {
      const len = x.shape[axis]!;
      const part = wants[i] ? b.slice(gy[0]!, [offset], [offset + len], [axis]) : undefined;
      offset += len;
      return part;
    });
  },
};

/** Normalised Slice arguments: per listed axis, 0 <= start < end <= dim. */
export function sliceSpec(x: TensorType, attrs: Attrs) {
  const starts = intsAttr('Slice', attrs, 'starts');
  const ends = intsAttr('Slice', attrs, 'ends');
  const axes = intsAttr('Slice', attrs, 'axes').map((a) => normalizeAxis(a, x.shape.length, 'Slice'));
  if (starts.length !== axes.length || ends.length !== axes.length) throw new GraphError('Slice: starts, ends and axes must have the same length');
  if (new Set(axes).size !== axes.length) throw new GraphError(`Slice: axes ${axes.join(',')} repeat an axis`);
  return axes.map((axis, i) => {
    const dim = x.shape[axis]!;
    const start = starts[i]! < 0 ? starts[i]! + dim : starts[i]!;
    const end = ends[i]! < 0 ? ends[i]! + dim : ends[i]!;
    if (start < 0 || end > dim || start >= end) {
      throw new GraphError(`Slice: range ${starts[i]}:${ends[i]} on axis ${axis} (size ${dim}) is empty or out of bounds`);
    }
    return { axis, start, end };
  });
}

export const Slice: OpDef = {
  op: 'Slice',
  arity: 1,
  infer: ([x]: readonly TensorType[], attrs) => {
    const shape = [...x!.shape];
    for (const { axis, start, end } of sliceSpec(x!, attrs)) shape[axis] = end - start;
    return [{ dtype: x!.dtype, shape }];
  },
  emit: (node, ctx) => {
    const spec = sliceSpec(node.inputs[0]!, node.attrs);
    emitSimple(node, ctx, undefined, [ctx.int64s(spec.map((s) => s.start)), ctx.int64s(spec.map((s) => s.end)), ctx.int64s(spec.map((s) => s.axis))]);
  },
  grad: ({ node, gy, wants, b }) => {
    if (!wants[0]) return [undefined];
    const x = node.inputs[0]!;
    const rank = x.shape.length;
    const pads = new Array<number>(2 * rank).fill(0);
    for (const { axis, start, end } of sliceSpec(x, node.attrs)) {
      pads[axis] = start;
      pads[rank + axis] = x.shape[axis]! - end;
    }
    return [b.pad(gy[0]!, pads)];
  },
};

/** Normalised Split arguments: the axis, and the part sizes, positive and covering it exactly. */
function splitSpec(x: TensorType, attrs: Attrs): { axis: number; sizes: readonly number[] } {
  const axis = normalizeAxis(intAttr('Split', attrs, 'axis'), x.shape.length, 'Split');
  const sizes = intsAttr('Split', attrs, 'sizes');
  const dim = x.shape[axis]!;
  if (sizes.length === 0 || sizes.some((s) => s <= 0) || sizes.reduce((a, s) => a + s, 0) !== dim) {
    throw new GraphError(`Split: sizes [${sizes.join(',')}] must be positive and add up to ${dim} (axis ${axis} of ${formatShape(x.shape)})`);
  }
  return { axis, sizes };
}

export const Split: OpDef = {
  op: 'Split',
  arity: 1,
  infer: ([x]: readonly TensorType[], attrs) => {
    const { axis, sizes } = splitSpec(x!, attrs);
    return sizes.map((size) => ({ dtype: x!.dtype, shape: x!.shape.map((d, i) => (i === axis ? size : d)) }));
  },
  emit: (node, ctx) => {
    const { axis, sizes } = splitSpec(node.inputs[0]!, node.attrs);
    emitSimple(node, ctx, { axis: { int: axis } }, [ctx.int64s(sizes)]);
  },
  grad: ({ node, gy, wants, b }) => {
    if (!wants[0]) return [undefined];
    const { axis } = splitSpec(node.inputs[0]!, node.attrs);
    // A part no gradient flows into contributes zeros.
    const parts = node.outputs.map((o, i) => gy[i] ?? b.expand(o.graph.scalar(0, o.dtype), o.shape));
    return [b.concat(parts, axis)];
  },
};

export const Pad: OpDef = {
  op: 'Pad',
  arity: 1,
  infer: ([x]: readonly TensorType[], attrs) => {
    const pads = intsAttr('Pad', attrs, 'pads');
    const rank = x!.shape.length;
    if (pads.length !== 2 * rank || pads.some((p) => p < 0)) throw new GraphError(`Pad: pads must be ${2 * rank} non-negative integers`);
    return [{ dtype: x!.dtype, shape: x!.shape.map((d, i) => d + pads[i]! + pads[rank + i]!) }];
  },
  emit: (node, ctx) => emitSimple(node, ctx, { mode: { string: 'constant' } }, [ctx.int64s(intsAttr('Pad', node.attrs, 'pads'))]),
  grad: ({ node, gy, wants, b }) => {
    if (!wants[0]) return [undefined];
    const x: Tensor = node.inputs[0]!;
    const pads = intsAttr('Pad', node.attrs, 'pads');
    const rank = x.shape.length;
    const axes = x.shape.map((_, i) => i).filter((i) => pads[i] !== 0 || pads[rank + i] !== 0);
    if (axes.length === 0) return [gy[0]!];
    return [b.slice(gy[0]!, axes.map((i) => pads[i]!), axes.map((i) => pads[i]! + x.shape[i]!), axes)];
  },
};

export const layoutOps: readonly OpDef[] = [Reshape, Transpose, Expand, Concat, Slice, Split, Pad];
