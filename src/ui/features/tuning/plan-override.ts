import type { RunPlan } from '../../../fiat/tuning/run-controller.ts';

/**
 * Changes to the next new run's plan that no settings field offers: a learning rate far above the field's maximum and
 * no gradient clipping, so an e2e test can force a NaN loss in the browser. Set only by the test API (e2e builds); used
 * by the next run started with Train, then cleared. Nothing else sets it, so elsewhere `withPlanOverride` returns the
 * plan unchanged. The run stores the plan it actually ran with.
 */
export interface PlanOverride {
  /** The schedule's peak rate; warm-up and decay stay as set in the form. */
  readonly lrPeak?: number;
  /** clip_grad_norm_'s max norm; null for none. */
  readonly maxGradNorm?: number | null;
}

let next: PlanOverride | null = null;

export function overrideNextRunPlan(override: PlanOverride): void {
  next = override;
}

export function withPlanOverride(plan: RunPlan): RunPlan {
  const override = next;
  next = null;
  if (!override) return plan;
  const lr = override.lrPeak === undefined ? plan.lr : typeof plan.lr === 'number' ? override.lrPeak : { ...plan.lr, peak: override.lrPeak };
  const setup = override.maxGradNorm === undefined ? plan.setup : { ...plan.setup, maxGradNorm: override.maxGradNorm };
  return { ...plan, lr, setup };
}
