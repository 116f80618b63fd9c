import { add, gemm, matmul, reshape, transpose } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { GraphError, formatShape } from '../shape.ts';

/**
 * x W^T (+ bias) for x [..., in] and W [out, in] (the Hugging Face / PyTorch layout), as a MatMul of x
 * flattened to [N, in] by a Transpose of W (MatMul rather than Gemm: see ops/matmul.ts). The backward pass
 * multiplies by W itself (the Transpose of that Transpose cancels).
 * When W is an initializer, onnxruntime folds the Transpose once at session creation; when it is a graph
 * input, the Transpose runs each step (one pass over the weight, small next to the product).
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  const inDim = x.shape[x.shape.length - 1]!;
  if (weight.shape.length !== 2) throw new GraphError(`linear: weight must be 2-D, got ${formatShape(weight.shape)}`);
  const [out, wIn] = weight.shape as [number, number];
  if (wIn !== inDim) throw new GraphError(`linear: x ${formatShape(x.shape)} does not match weight ${formatShape(weight.shape)} ([out, in])`);
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== out)) {
    throw new GraphError(`linear: bias must be [${out}], got ${formatShape(bias.shape)}`);
  }
  const y = matmul(reshape(x, [-1, inDim]), transpose(weight, [1, 0]));
  const withBias = bias === undefined ? y : add(y, bias);
  return reshape(withBias, [...x.shape.slice(0, -1), out]);
}

export interface LoraWeights {
  /** Base weight [out, in] (usually frozen). */
  readonly weight: Tensor;
  readonly bias?: Tensor;
  /** LoRA A [r, in] and B [out, r] (PEFT's lora_A.weight and lora_B.weight). */
  readonly loraA: Tensor;
  readonly loraB: Tensor;
  /** lora_alpha; the adapter's output is scaled by alpha / r. */
  readonly alpha: number;
}

/**
 * LoRA linear (PEFT convention, no dropout): x W^T + b + (alpha / r) * (x A^T) B^T. The scale is
 * applied to the rank-r activations [N, r], the smallest tensor on the adapter path.
 */
export function loraLinear(x: Tensor, w: LoraWeights): Tensor {
  const inDim = x.shape[x.shape.length - 1]!;
  const [r, aIn] = w.loraA.shape as [number, number];
  const [bOut, bR] = w.loraB.shape as [number, number];
  const out = w.weight.shape[0]!;
  if (w.loraA.shape.length !== 2 || aIn !== inDim || w.loraB.shape.length !== 2 || bR !== r || bOut !== out) {
    throw new GraphError(
      `loraLinear: A ${formatShape(w.loraA.shape)} and B ${formatShape(w.loraB.shape)} do not fit x ${formatShape(x.shape)} and W ${formatShape(w.weight.shape)} (need A [r, ${inDim}], B [${out}, r])`,
    );
  }
  const base = linear(x, w.weight, w.bias);
  const x2 = reshape(x, [-1, inDim]);
  // The rank-r products stay Gemms with transB (small kernels either way, and no Transpose of A or B). The
  // scale rides on the first one's alpha and the base output is the second one's C: no Mul, no Add kernel.
  const down = gemm(x2, w.loraA, { transB: true, alpha: w.alpha / r });
  const y = gemm(down, w.loraB, { transB: true, c: reshape(base, [-1, out]) });
  return reshape(y, base.shape);
}
