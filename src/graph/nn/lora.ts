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

/** LoRA linear (PEFT convention, no dropout): x W^T + b + (alpha / r) * (x A^T) B^T. */
export function loraLinear(x: Tensor, w: LoraWeights): Tensor {
  return linears(x, [w])[0]!;
}

/**
 * Several linears of one input (q, k and v of a layer; gate and up), each plain or LoRA, in the order given.
 * Their base products are one MatMul by the weights stacked along the output axis ([sum of outs, in]), cut
 * by a Split: one product with more GPU workgroups instead of one per weight, and in the backward pass one
 * product for x's gradient instead of one per weight plus the Adds of their sum (the Split's gradient is a
 * Concat). The stacking is a Concat of the weights each step (one pass over them, as their Transpose is).
 * The LoRA branches keep one A and one B per projection, as PEFT names them; their A products are stacked too
 * (loraDowns).
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
  const downs = loraDowns(x2, layers);
  const lead = x.shape.slice(0, -1);
  return layers.map((w, i) => {
    const y = isLora(w) ? gemm(downs.get(i)!, w.loraB, { transB: true, alpha: w.alpha / w.loraA.shape[0]!, c: parts[i]! }) : parts[i]!;
    return reshape(y, [...lead, outs[i]!]);
  });
}

/**
 * The rank-r activations x2 A^T [N, r] of each LoRA layer, by index. Layers of one input share one Gemm by their A
 * stacked along the rank axis ([sum of r, in]), cut by a Split: q, k and v make one [N, 24] product instead of
 * three [N, 8] ones, and in the backward pass one product for x's gradient and one (row-split, see
 * ops/matmul.ts transposedProduct) for the stacked A's gradient, whose [24, in] output fills GPU tiles that three
 * [8, in] ones leave three quarters empty. The scale alpha / r rides on the B product's alpha (no Mul kernel),
 * so layers of different alpha or r stack too. The B products stay one per layer, each adding to its base part
 * as Gemm's C (no Add kernel): stacking B would need a block-diagonal matrix.
 */
function loraDowns(x2: Tensor, layers: readonly (LinearWeights | LoraWeights)[]): Map<number, Tensor> {
  const lora = layers.flatMap((w, i) => (isLora(w) ? [{ i, a: w.loraA }] : []));
  if (lora.length === 0) return new Map();
  const down = gemm(x2, concatTree(lora.map((l) => l.a)), { transB: true });
  const parts = splitTree(down, lora.map((l) => l.a.shape[0]!), 1);
  return new Map(lora.map((l, j) => [l.i, parts[j]!]));
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
