import { type DType, isFloat } from '../dtype.ts';
import type { AttrValue, Attrs, EmitContext, Node, OnnxAttr, TensorType } from '../ir.ts';
import { GraphError } from '../shape.ts';

/** Shared checks and emit helpers for the op files. Every error names the op. */

export function requireFloat(op: string, t: TensorType, which = 'input'): void {
  if (!isFloat(t.dtype)) throw new GraphError(`${op}: ${which} must be float32 or float64, got ${t.dtype}`);
}

export function requireSameDType(op: string, types: readonly TensorType[]): DType {
  const first = types[0];
  if (first === undefined) throw new GraphError(`${op}: no inputs`);
  for (const t of types) {
    if (t.dtype !== first.dtype) throw new GraphError(`${op}: inputs must share a dtype, got ${types.map((x) => x.dtype).join(' and ')}`);
  }
  return first.dtype;
}

export function intsAttr(op: string, attrs: Attrs, key: string): readonly number[] {
  const v: AttrValue | undefined = attrs[key];
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw new GraphError(`${op}: attribute ${key} must be a list of integers`);
  return v as readonly number[];
}

export function intAttr(op: string, attrs: Attrs, key: string, fallback?: number): number {
  const v = attrs[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new GraphError(`${op}: attribute ${key} must be an integer`);
  return v;
}

export function boolAttr(attrs: Attrs, key: string, fallback: boolean): boolean {
  const v = attrs[key];
  return typeof v === 'boolean' ? v : fallback;
}

export function input(node: Node, i: number): TensorType & { name: string } {
  const t = node.inputs[i];
  if (t === undefined) throw new GraphError(`${node.def.op}: missing input ${i}`);
  return t;
}

/** Emits `node` as one ONNX node of the same op type with the given attributes and extra int64 inputs. */
export function emitSimple(node: Node, ctx: EmitContext, attrs?: Readonly<Record<string, OnnxAttr>>, extraInputs: readonly string[] = []): void {
  ctx.node(
    node.def.op,
    [...node.inputs.map((t) => ctx.name(t)), ...extraInputs],
    node.outputs.map((t) => ctx.name(t)),
    attrs,
  );
}
