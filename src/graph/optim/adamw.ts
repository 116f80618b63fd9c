import { add, div, mul, pow, reciprocal, sqrt, sub } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { GraphError, formatShape, sameShape } from '../shape.ts';

/** torch.optim.AdamW hyper-parameters (its defaults). */
export interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
}

export const adamwDefaults = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 } as const;

/**
 * The per-step scalars shared by every parameter: lr and step are graph inputs (float scalars; step is
 * the 1-based count of this update, as torch's state_step after its increment).
 */
export interface AdamWScalars {
  readonly lr: Tensor;
  /** 1 - lr * weightDecay */
  readonly decay: Tensor;
  /** lr / (1 - beta1^step) */
  readonly stepSize: Tensor;
  /** 1 / sqrt(1 - beta2^step) */
  readonly invSqrtBc2: Tensor;
}

export function adamwScalars(lr: Tensor, step: Tensor, options: AdamWOptions = {}): AdamWScalars {
  const o = { ...adamwDefaults, ...options };
  if (lr.shape.length !== 0 || step.shape.length !== 0) throw new GraphError('adamw: lr and step must be scalars (shape [])');
  const g = lr.graph;
  const bc1 = sub(1, pow(g.scalar(o.beta1, lr.dtype), step));
  const bc2 = sub(1, pow(g.scalar(o.beta2, lr.dtype), step));
  return { lr, decay: sub(1, mul(lr, o.weightDecay)), stepSize: div(lr, bc1), invSqrtBc2: reciprocal(sqrt(bc2)) };
}

/**
 * One torch.optim.AdamW update (amsgrad=False, maximize=False):
 *   p <- p * (1 - lr * wd)                                  (decoupled weight decay)
 *   m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2
 *   p <- p - lr / (1 - beta1^step) * m / (sqrt(v) / sqrt(1 - beta2^step) + eps)
 */
export function adamwUpdate(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  scalars: AdamWScalars,
  options: AdamWOptions = {},
): { param: Tensor; m: Tensor; v: Tensor } {
  const o = { ...adamwDefaults, ...options };
  for (const [what, t] of [['grad', grad], ['m', m], ['v', v]] as const) {
    if (!sameShape(t.shape, param.shape) || t.dtype !== param.dtype) {
      throw new GraphError(`adamw: ${what} of ${param.name} is ${t.dtype}${formatShape(t.shape)}, expected ${param.dtype}${formatShape(param.shape)}`);
    }
  }
  const mNext = add(mul(m, o.beta1), mul(grad, 1 - o.beta1));
  const vNext = add(mul(v, o.beta2), mul(mul(grad, grad), 1 - o.beta2));
  const denom = add(mul(sqrt(vNext), scalars.invSqrtBc2), o.eps);
  const decayed = o.weightDecay === 0 ? param : mul(param, scalars.decay);
  const paramNext = sub(decayed, mul(div(mNext, denom), scalars.stepSize));
  return { param: paramNext, m: mNext, v: vNext };
}
