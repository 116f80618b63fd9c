import { exp, log, mul, reduceMax, reduceSum, sigmoid, softmax, stopGradient, sub } from '../builders.ts';
import type { Tensor } from '../ir.ts';

/** Composites over the last axis and activations; no gradient rules of their own. */

/** SiLU (swish): x * sigmoid(x). */
export const silu = (x: Tensor): Tensor => mul(x, sigmoid(x));

/** Softmax over the last axis (the fused primitive; see ops/softmax.ts for why it is one). */
export { softmax };

/**
 * log softmax over the last axis: (x - m) - log(sum(exp(x - m))) with m = max(x) held constant
 * (StopGradient). The result does not depend on m, so no gradient is spent on the ReduceMax.
 * Built from primitives because ONNX LogSoftmax runs on the CPU only in onnxruntime-web.
 */
export function logSoftmax(x: Tensor): Tensor {
  const shifted = sub(x, stopGradient(reduceMax(x, [-1], true)));
  return sub(shifted, log(reduceSum(exp(shifted), [-1], true)));
}
