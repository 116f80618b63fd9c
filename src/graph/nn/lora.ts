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
 * that Transpose cancels). A W with a declared transpose (Graph.declareTranspose) is read in that layout, with no
 * Transpose node; otherwise, when W is an initializer, onnxruntime folds the Transpose once at session creation,
 * and when it is a graph input, the Transpose runs each step.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  return linears(x, [bias === undefined ? { weight } : { weight, bias }])[0]!;
}

/** LoRA linear (PEFT convention, no dropout): x W^T + b + (alpha / r) * (x A^T) B^T. */
export function loraLinear(x: Tensor, w: LoraWeights): Tensor {
  return linears(x, [w])[0]!;
}

/** A LoRA branch of one projection: A [r, in], B [out, r], scale alpha / r (PEFT's lora_A, lora_B, lora_alpha). */
export type LoraBranch = Pick<LoraWeights, 'loraA' | 'loraB' | 'alpha'>;

/**
 * Several projections of one input, their base weights already stacked as the product reads them (made once, on
 * the host, by whoever owns the weights: models/frozen-layout.ts).
 */
export interface StackedWeights {
  /** The weights [out_i, in] stacked along the output axis and transposed: [in, sum of out_i]. */
  readonly weightT: Tensor;
  /** The biases stacked the same way ([sum of out_i]; zeros for a projection without one), or none. */
  readonly bias?: Tensor;
  /** out_i, in order. */
  readonly outs: readonly number[];
}

/**
 * Several linears of one input (q, k and v of a layer; gate and up), each plain or LoRA, in the order given.
 * Their base products are one MatMul by the weights stacked along the output axis, cut by a Split: one product
 * with more GPU workgroups instead of one per weight, and in the backward pass one product for x's gradient
 * instead of one per weight plus the Adds of their sum (the Split's gradient is a Concat). Here the stacking is a
 * Concat of the weights, and their Transpose, in the graph (one pass over them each step when they are graph
 * inputs); stackedLinears takes them stacked already. The LoRA branches keep one A and one B per projection, as
 * PEFT names them; their A products are stacked too (loraDowns).
 */
export function linears(x: Tensor, layers: readonly (LinearWeights | LoraWeights)[]): Tensor[] {
  if (layers.length === 0) throw new GraphError('linears: no weights');
  const outs = layers.map((w) => checkWeights(x, w));
  layers.forEach((w, i) => isLora(w) && checkLora(x, w, outs[i]!, `W ${formatShape(w.weight.shape)}`));
  reshape(x, [-1, x.shape[x.shape.length - 1]!]); // made first (stackedLinears' is the same node): graphs keep their node order
  let bias: Tensor | undefined;
  if (layers.some((w) => w.bias !== undefined)) {
    const g = x.graph;
    const zeros = (n: number) => g.memo(`zeros:${x.dtype}:${n}`, () => g.constant(x.dtype, [n], new Array<number>(n).fill(0)));
    bias = concatTree(layers.map((w, i) => w.bias ?? zeros(outs[i]!)));
  }
  const weightT = transpose(concatTree(layers.map((w) => w.weight)), [1, 0]);
  return stackedLinears(x, bias === undefined ? { weightT, outs } : { weightT, bias, outs }, layers.map((w) => (isLora(w) ? w : undefined)));
}

/**
 * linears with the base weights stacked already: x2 weightT (+ bias), cut into the projections' outputs, each plus
 * its LoRA branch (`lora[i]`, or none). x's gradient multiplies by weightT's transpose: a Transpose per step unless
 * weightT has a declared transpose (Graph.declareTranspose), which is then read as it is.
 */
export function stackedLinears(x: Tensor, stack: StackedWeights, lora: readonly (LoraBranch | undefined)[]): Tensor[] {
  const inDim = x.shape[x.shape.length - 1]!;
  const total = stack.outs.reduce((a, n) => a + n, 0);
  if (stack.weightT.shape.length !== 2 || stack.weightT.shape[0] !== inDim || stack.weightT.shape[1] !== total) {
    throw new GraphError(`linear: x ${formatShape(x.shape)} does not match the stacked weight ${formatShape(stack.weightT.shape)} ([in, ${total}])`);
  }
  if (stack.bias !== undefined && (stack.bias.shape.length !== 1 || stack.bias.shape[0] !== total)) {
    throw new GraphError(`linear: stacked bias must be [${total}], got ${formatShape(stack.bias.shape)}`);
  }
  if (lora.length !== stack.outs.length) throw new GraphError(`linear: ${lora.length} LoRA entries for ${stack.outs.length} projections`);
  lora.forEach((branch, i) => branch && checkLora(x, branch, stack.outs[i]!));
  const x2 = reshape(x, [-1, inDim]);
  let base = matmul(x2, stack.weightT);
  if (stack.bias !== undefined) base = add(base, stack.bias);
  const parts = splitTree(base, stack.outs, 1);
  const downs = loraDowns(x2, lora);
  const lead = x.shape.slice(0, -1);
  return stack.outs.map((out, i) => {
    const branch = lora[i];
    const y = branch ? gemm(downs.get(i)!, branch.loraB, { transB: true, alpha: branch.alpha / branch.loraA.shape[0]!, c: parts[i]! }) : parts[i]!;
    return reshape(y, [...lead, out]);
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
function loraDowns(x2: Tensor, branches: readonly (LoraBranch | undefined)[]): Map<number, Tensor> {
  const lora = branches.flatMap((w, i) => (w ? [{ i, a: w.loraA }] : []));
  if (lora.length === 0) return new Map();
  const down = gemm(x2, concatTree(lora.map((l) => l.a)), { transB: true });
  const parts = splitTree(down, lora.map((l) => l.a.shape[0]!), 1);
  return new Map(lora.map((l, j) => [l.i, parts[j]!]));
}

/** The weight's output size, after checking that W and its bias fit x (LoRA factors: checkLora). */
function checkWeights(x: Tensor, w: LinearWeights | LoraWeights): number {
  const inDim = x.shape[x.shape.length - 1]!;
  if (w.weight.shape.length !== 2) throw new GraphError(`linear: weight must be 2-D, got ${formatShape(w.weight.shape)}`);
  const [out, wIn] = w.weight.shape as [number, number];
  if (wIn !== inDim) throw new GraphError(`linear: x ${formatShape(x.shape)} does not match weight ${formatShape(w.weight.shape)} ([out, in])`);
  if (w.bias !== undefined && (w.bias.shape.length !== 1 || w.bias.shape[0] !== out)) {
    throw new GraphError(`linear: bias must be [${out}], got ${formatShape(w.bias.shape)}`);
  }
  return out;
}

/** A LoRA branch must be A [r, in], B [out, r] for x [..., in] and a projection of `out` outputs (`what`: its weight, for the message). */
function checkLora(x: Tensor, w: LoraBranch, out: number, what = `${out} outputs`): void {
  const inDim = x.shape[x.shape.length - 1]!;
  const [r, aIn] = w.loraA.shape as [number, number];
  const [bOut, bR] = w.loraB.shape as [number, number];
  if (w.loraA.shape.length !== 2 || aIn !== inDim || w.loraB.shape.length !== 2 || bR !== r || bOut !== out) {
    throw new GraphError(
      `loraLinear: A ${formatShape(w.loraA.shape)} and B ${formatShape(w.loraB.shape)} do not fit x ${formatShape(x.shape)} and ${what} (need A [r, ${inDim}], B [${out}, r])`,
    );
  }
}
