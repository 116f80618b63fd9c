import { add, div, equal, exp, log, max, mul, reduceMax, reduceSum, reshape, stopGradient, sub, where } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { GraphError, formatShape } from '../shape.ts';

/**
 * Masked token cross-entropy, the loss contract shared with src/models and the PyTorch fixtures:
 *   logits    float [B, T, V]
 *   labels    float [B, T]  target token id at each position, already shifted (labels[t] = input_ids[t+1]);
 *                           any value where masked
 *   lossMask  float [B, T]  1 where the token counts, 0 elsewhere
 *   loss = sum(lossMask * -log softmax(logits)[label]) / max(sum(lossMask), 1)
 *
 * The target logit is picked without OneHot and without int64 compares (both leave the GPU on
 * WebGPU): Equal of labels[..., None] against a float iota [V], Cast to float, Mul, ReduceSum.
 * Token ids are exact in float32 up to 2^24, far above any vocabulary.
 * nll = logsumexp(logits) - logits[label], with the max subtracted for stability held constant.
 */
export function maskedCrossEntropy(logits: Tensor, labels: Tensor, lossMask: Tensor): Tensor {
  if (logits.shape.length !== 3) throw new GraphError(`maskedCrossEntropy: logits must be [B, T, V], got ${formatShape(logits.shape)}`);
  const [b, t, v] = logits.shape as [number, number, number];
  for (const [what, x] of [['labels', labels], ['lossMask', lossMask]] as const) {
    if (x.shape.length !== 2 || x.shape[0] !== b || x.shape[1] !== t || x.dtype !== logits.dtype) {
      throw new GraphError(`maskedCrossEntropy: ${what} must be ${logits.dtype} [${b}, ${t}], got ${x.dtype} ${formatShape(x.shape)}`);
    }
  }
  const g = logits.graph;
  const iota = g.memo(`iota:${v}:${logits.dtype}`, () => g.constant(logits.dtype, [v], Array.from({ length: v }, (_, i) => i)));
  const target = equal(reshape(labels, [b, t, 1]), iota); // [B, T, V] bool one-hot
  const picked = reduceSum(where(target, logits, 0), [-1]); // [B, T]
  const m = stopGradient(reduceMax(logits, [-1], true)); // [B, T, 1]
  const logSumExp = add(reshape(m, [b, t]), log(reduceSum(exp(sub(logits, m)), [-1])));
  const nll = sub(logSumExp, picked);
  return div(reduceSum(mul(lossMask, nll), [0, 1]), max(reduceSum(lossMask, [0, 1]), 1));
}
