import { add, div, min, mul, reduceSum, sqrt } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { GraphError } from '../shape.ts';

/**
 * Global-norm gradient clipping with torch.nn.utils.clip_grad_norm_ semantics (norm_type 2):
 *   total = sqrt(sum_i sum(g_i^2)),  coef = min(maxNorm / (total + 1e-6), 1),  g_i <- g_i * coef
 * (torch multiplies by the clamped coefficient always, also when it is 1). Returns the scaled
 * gradients and the pre-clipping total norm.
 */
export function clipByGlobalNorm(grads: readonly Tensor[], maxNorm: number): { grads: Tensor[]; totalNorm: Tensor } {
  const first = grads[0];
  if (first === undefined) throw new GraphError('clipByGlobalNorm: no gradients');
  if (!(maxNorm > 0)) throw new GraphError(`clipByGlobalNorm: maxNorm must be positive, got ${maxNorm}`);
  const squares = grads.map((g) => reduceSum(mul(g, g), [...g.shape.keys()]));
  const totalNorm = sqrt(squares.reduce((a, b) => add(a, b)));
  const coef = min(div(first.graph.scalar(maxNorm, first.dtype), add(totalNorm, 1e-6)), 1);
  return { grads: grads.map((g) => mul(g, coef)), totalNorm };
}
