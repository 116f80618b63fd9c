import type { DType } from './dtype.ts';
import type { OpDef, Tensor } from './ir.ts';
import { Add, Div, Exp, Log, Mul, Neg, Pow, Reciprocal, Sigmoid, Sqrt, Sub, Tanh } from './ops/elementwise.ts';
import { Gather } from './ops/gather.ts';
import { Concat, Expand, Pad, Reshape, Slice, Split, Transpose, checkPerm } from './ops/layout.ts';
import { Cast, Equal, Greater, Less, Where } from './ops/logic.ts';
import { Gemm, MatMul } from './ops/matmul.ts';
import { ReduceMax, ReduceSum } from './ops/reduce.ts';
import { Softmax, StopGradient } from './ops/softmax.ts';
import { GraphError, broadcastShapes, formatShape, normalizeAxis, sameShape, sizeOf, type Shape } from './shape.ts';

/**
 * The builder functions: the only way models, composites and gradient rules make nodes. Each call
 * appends a node to the graph its tensor operands belong to. Numbers are accepted wherever a float
 * tensor is, and become rank-0 constants of the other operand's dtype.
 *
 * Builders skip needless nodes: x*1, x+0, x-0, x/1, an identity Transpose, a Reshape/Expand to the
 * same shape, a Cast to the same dtype and a one-input Concat return their input; a Transpose of a
 * Transpose, or a Reshape of a Reshape, becomes one.
 */
export type Operand = Tensor | number;

function single(def: OpDef, inputs: readonly Tensor[], attrs = {}): Tensor {
  const first = inputs[0];
  if (first === undefined) throw new GraphError(`${def.op}: no inputs`);
  return first.graph.apply(def, inputs, attrs)[0]!;
}

function lift(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') throw new GraphError(`${op}: at least one operand must be a tensor`);
  const ta = typeof a === 'number' ? (b as Tensor).graph.scalar(a, (b as Tensor).dtype) : a;
  const tb = typeof b === 'number' ? ta.graph.scalar(b, ta.dtype) : b;
  return [ta, tb];
}

/** The value of a rank-0 constant, or undefined. */
function scalarValue(t: Tensor): number | undefined {
  if (t.kind !== 'constant' || t.shape.length !== 0 || t.data === undefined) return undefined;
  const v = t.data[0];
  return typeof v === 'number' ? v : undefined;
}

/**
 * An Expand feeding a broadcasting op is redundant when the op's own broadcasting gives the same
 * result shape: use the Expand's input instead (the Expand then dies at emission unless used elsewhere).
 * This matters for gradients: ReduceSum's VJP expands the cotangent, and over [B, T, vocab] logits
 * that Expand would be a full extra pass over the largest tensor of the step.
 */
function skipExpand(t: Tensor, other: Tensor): Tensor {
  const source = t.producer?.def === Expand ? t.producer.inputs[0] : undefined;
  if (source === undefined) return t;
  const full = broadcastShapes(t.shape, other.shape, 'skipExpand');
  return sameShape(broadcastShapes(source.shape, other.shape, 'skipExpand'), full) ? source : t;
}

function binary(def: OpDef, a: Operand, b: Operand, identity?: number, leftIdentity = false): Tensor {
  const [la, lb] = lift(def.op, a, b);
  const ta = la.shape.length === 0 && lb.shape.length === 0 ? la : skipExpand(la, lb);
  const tb = skipExpand(lb, ta);
  if (identity !== undefined) {
    if (scalarValue(tb) === identity && ta.dtype === tb.dtype) return ta;
    if (leftIdentity && scalarValue(ta) === identity && ta.dtype === tb.dtype) return tb;
  }
  return single(def, [ta, tb]);
}

export const add = (a: Operand, b: Operand): Tensor => binary(Add, a, b, 0, true);
export const sub = (a: Operand, b: Operand): Tensor => binary(Sub, a, b, 0);
export const mul = (a: Operand, b: Operand): Tensor => binary(Mul, a, b, 1, true);
export const div = (a: Operand, b: Operand): Tensor => binary(Div, a, b, 1);
export const pow = (a: Operand, b: Operand): Tensor => binary(Pow, a, b, 1);

export const neg = (x: Tensor): Tensor => single(Neg, [x]);
export const exp = (x: Tensor): Tensor => single(Exp, [x]);
export const log = (x: Tensor): Tensor => single(Log, [x]);
export const sqrt = (x: Tensor): Tensor => single(Sqrt, [x]);
export const reciprocal = (x: Tensor): Tensor => single(Reciprocal, [x]);
export const sigmoid = (x: Tensor): Tensor => single(Sigmoid, [x]);
export const tanh = (x: Tensor): Tensor => single(Tanh, [x]);

/** Comparisons of float tensors; the result is bool (feed it to where or cast). */
export const equal = (a: Operand, b: Operand): Tensor => single(Equal, lift('Equal', a, b));
export const less = (a: Operand, b: Operand): Tensor => single(Less, lift('Less', a, b));
export const greater = (a: Operand, b: Operand): Tensor => single(Greater, lift('Greater', a, b));

export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  const [ta, tb] = lift('Where', a, b);
  // Skip an Expand on a value operand as binary() does (Where's gradient routes an expanded cotangent).
  const full = broadcastShapes(broadcastShapes(condition.shape, ta.shape, 'Where'), tb.shape, 'Where');
  const unexpand = (t: Tensor, other: Tensor): Tensor => {
    const source = t.producer?.def === Expand ? t.producer.inputs[0]! : undefined;
    if (source === undefined) return t;
    const shape = broadcastShapes(broadcastShapes(condition.shape, source.shape, 'Where'), other.shape, 'Where');
    return sameShape(shape, full) ? source : t;
  };
  const ua = unexpand(ta, tb);
  return single(Where, [condition, ua, unexpand(tb, ua)]);
}

/**
 * Elementwise maximum and minimum, as Where(Greater/Less(a, b), a, b) rather than ONNX Max/Min, which
 * onnxruntime-web's JSEP WebGPU build (ort.all 1.30) runs on the CPU only (found with
 * scripts/graph-webgpu-check.ts). The gradient goes to the winner; at ties, to b.
 */
export function max(a: Operand, b: Operand): Tensor {
  const [ta, tb] = lift('max', a, b);
  return where(greater(ta, tb), ta, tb);
}

export function min(a: Operand, b: Operand): Tensor {
  const [ta, tb] = lift('min', a, b);
  return where(less(ta, tb), ta, tb);
}

export const cast = (x: Tensor, to: DType): Tensor => (x.dtype === to ? x : single(Cast, [x], { to }));

/** Batched matrix product, batch dimensions broadcast. */
export const matmul = (a: Tensor, b: Tensor): Tensor => single(MatMul, [a, b]);

/**
 * 2-D alpha * op(a) @ op(b) (+ c) with op = transpose when asked (ONNX Gemm; c, when given, has the product's
 * shape and is added in the same kernel). ONNX's alpha is a float32: an alpha that float32 cannot hold exactly
 * in a float64 graph becomes a Mul of the product instead (and c an Add).
 */
export function gemm(a: Tensor, b: Tensor, options: { transA?: boolean; transB?: boolean; alpha?: number; c?: Tensor } = {}): Tensor {
  const attrs = { transA: options.transA ?? false, transB: options.transB ?? false };
  const alpha = options.alpha ?? 1;
  const c = options.c === undefined ? [] : [options.c];
  if (alpha === 1) return single(Gemm, [a, b, ...c], attrs);
  if (a.dtype === 'float64' && Math.fround(alpha) !== alpha) {
    const product = mul(single(Gemm, [a, b], attrs), alpha);
    return options.c === undefined ? product : add(options.c, product);
  }
  return single(Gemm, [a, b, ...c], { ...attrs, alpha: a.dtype === 'float32' ? Math.fround(alpha) : alpha });
}

/**
 * A Transpose of a Transpose's output is one Transpose of its source (or the source itself): the backward
 * pass of x W^T, a MatMul of a transposed weight, then multiplies by W without transposing it back. The transpose
 * of a weight with a declared transpose (Graph.declareTranspose) is that weight: no node.
 */
export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  checkPerm(perm, x.shape.length);
  const declared = x.graph.transposeOf(x); // a weight kept in both layouts (Graph.declareTranspose)
  if (declared !== undefined && perm[0] === 1) return declared;
  const inner = x.producer?.def === Transpose ? x.producer : undefined;
  const source = inner?.inputs[0] ?? x;
  const composed = inner === undefined ? perm : perm.map((p) => (inner.attrs['perm'] as readonly number[])[p]!);
  return composed.every((p, i) => p === i) ? source : single(Transpose, [source], { perm: [...composed] });
}

export function transposeLast2(x: Tensor): Tensor {
  const r = x.shape.length;
  if (r < 2) throw new GraphError(`transposeLast2: rank ${r} < 2`);
  return transpose(x, [...x.shape.keys()].map((i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i)));
}

/** Reshape; one dimension may be -1 (resolved here, so the IR and the ONNX graph hold concrete shapes). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const holes = shape.filter((d) => d === -1).length;
  if (holes > 1) throw new GraphError(`Reshape: at most one -1 in ${formatShape(shape)}`);
  let target = [...shape];
  if (holes === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    const total = sizeOf(x.shape);
    if (known === 0 || total % known !== 0) throw new GraphError(`Reshape: cannot reshape ${formatShape(x.shape)} to ${formatShape(shape)}`);
    target = shape.map((d) => (d === -1 ? total / known : d));
  }
  // A Reshape of a Reshape's output reshapes its source (or is the source).
  const source = x.producer?.def === Reshape ? x.producer.inputs[0]! : x;
  if (sameShape(target, source.shape)) return source;
  return sameShape(target, x.shape) ? x : single(Reshape, [source], { shape: target });
}

export const expand = (x: Tensor, shape: Shape): Tensor => (sameShape(x.shape, shape) ? x : single(Expand, [x], { shape: [...shape] }));

export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 1) return xs[0]!;
  return single(Concat, xs, { axis });
}

/** x[start:end] along each listed axis (step 1; negative indices count from the end). */
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[], axes: readonly number[]): Tensor {
  return single(Slice, [x], { starts: [...starts], ends: [...ends], axes: [...axes] });
}

/** x cut along `axis` into consecutive parts of the given sizes; one part the size of the axis is x itself. */
export function split(x: Tensor, sizes: readonly number[], axis: number): Tensor[] {
  if (sizes.length === 1 && sizes[0] === x.shape[normalizeAxis(axis, x.shape.length, 'Split')]) return [x];
  return x.graph.apply(Split, [x], { sizes: [...sizes], axis });
}

/** Zero padding; pads = [begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}] as in ONNX. */
export const pad = (x: Tensor, pads: readonly number[]): Tensor => single(Pad, [x], { pads: [...pads] });

export const reduceSum = (x: Tensor, axes: readonly number[], keepdims = false): Tensor => single(ReduceSum, [x], { axes: [...axes], keepdims });
export const reduceMax = (x: Tensor, axes: readonly number[], keepdims = false): Tensor => single(ReduceMax, [x], { axes: [...axes], keepdims });

/** Rows of `data` (along `axis`) picked by int64 `indices`. */
export const gather = (data: Tensor, indices: Tensor, axis = 0): Tensor => single(Gather, [data, indices], { axis });

/** Softmax over the last axis (a fused primitive, see ops/softmax.ts). */
export const softmax = (x: Tensor): Tensor => single(Softmax, [x], { axis: -1 });

export const stopGradient = (x: Tensor): Tensor => single(StopGradient, [x]);

/**
 * Sums a broadcast cotangent back to `shape` (the inverse of numpy broadcasting): leading axes are
 * summed away, axes where `shape` has 1 are summed with keepdims. Returns g itself when shapes match.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  if (lead < 0) throw new GraphError(`sumTo: cannot sum ${formatShape(g.shape)} to the larger rank of ${formatShape(shape)}`);
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    const target = i < lead ? undefined : shape[i - lead];
    if (target === undefined) axes.push(i);
    else if (target === 1 && d !== 1) axes.push(i);
    else if (target !== d) throw new GraphError(`sumTo: ${formatShape(g.shape)} does not broadcast from ${formatShape(shape)}`);
  });
  if (axes.length === 0) return reshape(g, shape);
  // Without keepdims when that already gives the target shape (only leading axes summed), saving a Reshape.
  const dropped = g.shape.filter((_, i) => !axes.includes(i));
  return sameShape(dropped, shape) ? reduceSum(g, axes) : reshape(reduceSum(g, axes, true), shape);
}
