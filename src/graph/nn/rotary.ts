import { add, matmul, mul } from '../builders.ts';
import type { DType } from '../dtype.ts';
import type { Graph, Tensor } from '../ir.ts';
import { GraphError } from '../shape.ts';

/**
 * Rotary position embedding in the Hugging Face Llama convention ("rotate_half"):
 *   inv_freq[i] = 1 / theta^(2i / D),  angle[t, j] = t * inv_freq[j mod D/2]   (t = 0 .. T-1)
 *   out = x * cos(angle) + rotate_half(x) * sin(angle),  rotate_half(x) = cat(-x[D/2:], x[:D/2])
 * The cos/sin tables are computed here, once, and enter the graph as constants. For float32 the
 * table arithmetic rounds like PyTorch's float32 computation (inv_freq, t * inv_freq in float32).
 */
export interface RotaryTables {
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly seqLen: number;
  readonly headDim: number;
}

/**
 * `invFreq` (headDim / 2 values) replaces the frequencies computed from theta: scaled RoPE (linear,
 * llama3) is computed by the caller (src/models) and only tabulated here.
 */
export function rotaryTableData(seqLen: number, headDim: number, theta: number, dtype: DType, invFreq?: ArrayLike<number>): RotaryTables {
  if (headDim % 2 !== 0) throw new GraphError(`rotary: head dimension ${headDim} must be even`);
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const half = headDim / 2;
  if (invFreq !== undefined && invFreq.length !== half) throw new GraphError(`rotary: ${invFreq.length} inverse frequencies for head dimension ${headDim} (need ${half})`);
  const frequencies = Array.from({ length: half }, (_, i) => (invFreq === undefined ? round(1 / round(theta ** round((2 * i) / headDim))) : round(invFreq[i]!)));
  const cos = new Float64Array(seqLen * headDim);
  const sin = new Float64Array(seqLen * headDim);
  for (let t = 0; t < seqLen; t++) {
    for (let j = 0; j < headDim; j++) {
      const angle = round(t * frequencies[j % half]!);
      cos[t * headDim + j] = round(Math.cos(angle));
      sin[t * headDim + j] = round(Math.sin(angle));
    }
  }
  return { cos, sin, seqLen, headDim };
}

/**
 * The [D, D] matrix R with x @ R = rotate_half(x). Its entries are 0 and +-1, so the product is exact;
 * one MatMul replaces Slice, Slice, Neg and Concat (and their four gradient nodes).
 */
export function rotateHalfMatrix(graph: Graph, headDim: number, dtype: DType): Tensor {
  return graph.memo(`rotate_half:${headDim}:${dtype}`, () => {
    const half = headDim / 2;
    const r = new Array<number>(headDim * headDim).fill(0);
    for (let j = 0; j < half; j++) r[(j + half) * headDim + j] = -1;
    for (let j = half; j < headDim; j++) r[(j - half) * headDim + j] = 1;
    return graph.constant(dtype, [headDim, headDim], r);
  });
}

/**
 * Makes the cos and sin constants with shape `shape` (which must end in [T, ..., D], e.g. [T, D] or
 * [T, 1, D]), each multiplied by `scale` (attention folds 1/sqrt(D) into the query's tables).
 */
export function rotaryConstants(graph: Graph, tables: RotaryTables, dtype: DType, shape: readonly number[], scale = 1, key?: string): { cos: Tensor; sin: Tensor } {
  const scaled = (a: Float64Array) => (scale === 1 ? a : a.map((v) => v * scale));
  const make = (which: 'cos' | 'sin') => () => graph.constant(dtype, shape, scaled(tables[which]));
  if (key === undefined) return { cos: make('cos')(), sin: make('sin')() };
  const at = `rotary:${key}:${dtype}:${shape.join(',')}:${scale}`;
  return { cos: graph.memo(`${at}:cos`, make('cos')), sin: graph.memo(`${at}:sin`, make('sin')) };
}

/** x * cos + rotate_half(x) * sin, with cos/sin broadcasting against x (last axis D). */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const d = x.shape[x.shape.length - 1]!;
  const rotated = matmul(x, rotateHalfMatrix(x.graph, d, x.dtype));
  return add(mul(x, cos), mul(rotated, sin));
}
