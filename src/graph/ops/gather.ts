import type { OpDef, TensorType } from '../ir.ts';
import { GraphError, normalizeAxis } from '../shape.ts';
import { emitSimple, intAttr, requireFloat } from './common.ts';

/**
 * Gather (embedding lookup): float data, int64 indices (the one place int64 is unavoidable). The data
 * gradient (axis 0 only) is a one-hot matrix product built from a float Equal against an iota
 * constant, never OneHot or ScatterND: dense [indices, rows], acceptable because only a trained
 * embedding needs it (LoRA never does). The indices are made float by a Gather from that iota, not a
 * Cast, and the one-hot by a Where: onnxruntime-web's WebGPU EP (JSEP) has no Cast from int64, and a node
 * it cannot run goes to the CPU EP, which graph capture refuses.
 */
export const Gather: OpDef = {
  op: 'Gather',
  arity: 2,
  infer: ([data, indices]: readonly TensorType[], attrs) => {
    requireFloat('Gather', data!, 'data');
    if (indices!.dtype !== 'int64') throw new GraphError(`Gather: indices must be int64, got ${indices!.dtype}`);
    const axis = normalizeAxis(intAttr('Gather', attrs, 'axis', 0), data!.shape.length, 'Gather');
    return [{ dtype: data!.dtype, shape: [...data!.shape.slice(0, axis), ...indices!.shape, ...data!.shape.slice(axis + 1)] }];
  },
  emit: (node, ctx) => {
    const axis = normalizeAxis(intAttr('Gather', node.attrs, 'axis', 0), node.inputs[0]!.shape.length, 'Gather');
    emitSimple(node, ctx, { axis: { int: axis } });
  },
  grad: ({ node, gy, wants, b }) => {
    if (!wants[0]) return [undefined];
    const [data, indices] = node.inputs;
    const axis = normalizeAxis(intAttr('Gather', node.attrs, 'axis', 0), data!.shape.length, 'Gather');
    if (axis !== 0) throw new GraphError('Gather: the data gradient is implemented for axis 0 only');
    const rows = data!.shape[0]!;
    const g = gy[0]!;
    const iota = g.graph.constant(data!.dtype, [rows], Array.from({ length: rows }, (_, i) => i));
    const picked = b.gather(iota, b.reshape(indices!, [-1, 1])); // [N, 1]: the indices as floats, exact below 2^24
    const oneHot = b.where(b.equal(picked, iota), g.graph.scalar(1, data!.dtype), 0);
    const rest = data!.shape.slice(1).reduce((x, y) => x * y, 1);
    const gathered = b.gemm(oneHot, b.reshape(g, [-1, rest]), { transA: true });
    return [b.reshape(gathered, data!.shape), undefined];
  },
};

export const gatherOps: readonly OpDef[] = [Gather];
