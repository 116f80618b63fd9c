import { add, div, mul, reduceSum, sqrt } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { GraphError, formatShape } from '../shape.ts';

/**
 * RMSNorm over the last axis as in Hugging Face LlamaRMSNorm / Qwen2RMSNorm:
 *   weight * x / sqrt(mean(x^2, -1) + eps)
 * `weight` has shape [D] (D = last dimension of x).
 */
export function rmsNorm(x: Tensor, weight: Tensor, eps: number): Tensor {
  const d = x.shape[x.shape.length - 1]!;
  if (weight.shape.length !== 1 || weight.shape[0] !== d) {
    throw new GraphError(`rmsNorm: weight ${formatShape(weight.shape)} does not match the last dimension of x ${formatShape(x.shape)}`);
  }
  const meanSquare = mul(reduceSum(mul(x, x), [-1], true), 1 / d);
  // x / sqrt(...) rather than transformers' x * rsqrt(...) (equal up to rounding): no Reciprocal kernel, and Div's
  // gradient takes 3 fewer [..., 1] kernels than Reciprocal's and Mul's (dispatches, not GPU time).
  return mul(div(x, sqrt(add(meanSquare, eps))), weight);
}
