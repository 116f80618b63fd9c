import { add, gemm, matmul, reshape, transpose } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { concatTree, splitTree } from '../kernel-trees.ts';
import { GraphError, formatShape } from '../shape.ts';

export interface LinearWeights {
  /** Weight [out, in] (the Hugging Face / PyTorch layout; usually frozen). */
  readonly weight: Tensor;
  readonly bias?: Tensor;
}

export interface LoraWeights extends LinearWeights {
  /** LoRA A [r, in] and B [out, r] (PEFT's lora_A.weight and lora_B.weight). */
  readonly loraA: Tensor;
  readonly loraB: Tensor;
  /** lora_alpha; the adapter's output is scaled by alpha / r. */
  readonly alpha: number;
}

const isLora = (w: LinearWeights | LoraWeights): w is LoraWeights => 'loraA' in w;

/**
 * x W^T (+ bias) for x [..., in] and W [out, in], as a MatMul of x flattened to [N, in] by a Transpose of W
 * (MatMul rather than Gemm: see ops/matmul.ts). The backward pass multiplies by W itself (the Transpose of
 * that Transpose cancels).
 * When W is an initializer, onnxruntime folds the Transpose once at session creation; when it is a graph
 * input, the Transpose runs each step (one pass over the weight, small next to the product).
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  return linears(x, [bias === undefined ? { weight } : { weight, bias }])[0]!;
}

/**
 * LoRA linear (PEFT convention, no dropout): x W^T + b + (alpha / r) * (x A^T) B^T. The scale is
 * applied to the rank-r activations [N, r], the smallest tensor on the adapter path.
 */
export function loraLinear(x: Tensor, w: LoraWeights): Tensor {
  return linears(x, [w])[0]!;
}

/**
 * Several linears of one input (q, k and v of a layer; gate and up), each plain or LoRA, in the order given.
 * Their base products are one MatMul by the weights stacked along the output axis ([sum of outs, in]), cut
 * by a Split: one product with more GPU workgroups instead of one per weight, and in the backward pass one
 * product for x's gradient instead of one per weight plus the Adds of their sum (the Split's gradient is a
 * Concat). The stacking is a Concat of the weights each step (one pass over them, as their Transpose is).
 * The LoRA branches stay one per projection (below).
 */
export function linears(x: Tensor, layers: readonly (LinearWeights | LoraWeights)[]): Tensor[] {
  if (layers.length === 0) throw new GraphError('linears: no weights');
  const inDim = x.shape[x.shape.length - 1]!;
  const outs = layers.map((w) => checkWeights(x, w));
  const x2 = reshape(x, [-1, inDim]);
  let base = matmul(x2, transpose(concatTree(layers.map((w) => w.weight)), [1, 0]));
  if (layers.some((w) => w.bias !== undefined)) {
    const g = x.graph;
    const zeros = (n: number) => g.memo(`zeros:${x.dtype}:${n}`, () => g.constant(x.dtype, [n], new Array<number>(n).fill(0)));
    base = add(base, concatTree(layers.map((w, i) => w.bias ?? zeros(outs[i]!))));
  }
  const parts = splitTree(base, outs, 1);
  const lead = x.shape.slice(0, -1);
  return layers.map((w, i) => reshape(isLora(w) ? withLora(x2, parts[i]!, w) : parts[i]!, [...lead, outs[i]!]));
}

/**
 * base + (alpha / r) (x2 A^T) B^T for x2 [N, in] and base [N, out]. The rank-r products stay Gemms with transB
 * (small kernels either way, and no Transpose of A or B). The scale rides on the first one's alpha and the base
 * output is the second one's C: no Mul, no Add kernel.
 */
function withLora(x2: Tensor, base: Tensor, w: LoraWeights): Tensor {
  const r = w.loraA.shape[0]!;
  const down = gemm(x2, w.loraA, { transB: true, alpha: w.alpha / r });
  return gemm(down, w.loraB, { transB: true, c: base });
}

/** The weight's output size, after checking that W (and bias, A, B) fit x. */
function checkWeights(x: Tensor, w: LinearWeights | LoraWeights): number {
  const inDim = x.shape[x.shape.length - 1]!;
  if (w.weight.shape.length !== 2) throw new GraphError(`linear: weight must be 2-D, got ${formatShape(w.weight.shape)}`);
  const [out, wIn] = w.weight.shape as [number, number];
  if (wIn !== inDim) throw new GraphError(`linear: x ${formatShape(x.shape)} does not match weight ${formatShape(w.weight.shape)} ([out, in])`);
  if (w.bias !== undefined && (w.bias.shape.length !== 1 || w.bias.shape[0] !== out)) {
    throw new GraphError(`linear: bias must be [${out}], got ${formatShape(w.bias.shape)}`);
  }
  if (isLora(w)) {
    const [r, aIn] = w.loraA.shape as [number, number];
    const [bOut, bR] = w.loraB.shape as [number, number];
    if (w.loraA.shape.length !== 2 || aIn !== inDim || w.loraB.shape.length !== 2 || bR !== r || bOut !== out) {
      throw new GraphError(
        `loraLinear: A ${formatShape(w.loraA.shape)} and B ${formatShape(w.loraB.shape)} do not fit x ${formatShape(x.shape)} and W ${formatShape(w.weight.shape)} (need A [r, ${inDim}], B [${out}, r])`,
      );
    }
  }
  return out;
}
