// Independent reference of torch.optim.AdamW (amsgrad=False) and torch.nn.utils.clip_grad_norm_,
// written from the PyTorch documentation's algorithm, in float64 plain loops.

export interface AdamWReferenceOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

/** clip_grad_norm_(max_norm, norm_type=2): returns the clipped copies and the total norm before clipping. */
export function clipGradNormRef(grads: readonly Float64Array[], maxNorm: number): { grads: Float64Array[]; totalNorm: number } {
  let sq = 0;
  for (const g of grads) for (const v of g) sq += v * v;
  const totalNorm = Math.sqrt(sq);
  const coef = Math.min(maxNorm / (totalNorm + 1e-6), 1);
  return { grads: grads.map((g) => g.map((v) => v * coef)), totalNorm };
}

/**
 * One AdamW step t (1-based), as in the docs: theta <- theta - lr*wd*theta; m <- b1 m + (1-b1) g;
 * v <- b2 v + (1-b2) g^2; m_hat = m / (1 - b1^t); v_hat = v / (1 - b2^t);
 * theta <- theta - lr * m_hat / (sqrt(v_hat) + eps).
 */
export function adamwStepRef(
  param: Float64Array, grad: Float64Array, m: Float64Array, v: Float64Array,
  lr: number, t: number, o: AdamWReferenceOptions,
): { param: Float64Array; m: Float64Array; v: Float64Array } {
  const p = new Float64Array(param.length);
  const m2 = new Float64Array(param.length);
  const v2 = new Float64Array(param.length);
  for (let i = 0; i < param.length; i++) {
    const decayed = param[i]! - lr * o.weightDecay * param[i]!;
    m2[i] = o.beta1 * m[i]! + (1 - o.beta1) * grad[i]!;
    v2[i] = o.beta2 * v[i]! + (1 - o.beta2) * grad[i]! * grad[i]!;
    const mHat = m2[i]! / (1 - o.beta1 ** t);
    const vHat = v2[i]! / (1 - o.beta2 ** t);
    p[i] = decayed - (lr * mHat) / (Math.sqrt(vHat) + o.eps);
  }
  return { param: p, m: m2, v: v2 };
}
