import type { LrSchedule } from './engine.ts';

/**
 * The learning rate of a 1-based optimizer step, as transformers' schedulers give it (get_constant_schedule_with_warmup,
 * get_linear_schedule_with_warmup, get_cosine_schedule_with_warmup with half a cycle): the scheduler's factor at
 * step index s = step - 1 (transformers steps the scheduler after each update, so update 1 uses the factor at 0).
 * Warm-up: peak * s / warmup while s < warmup. Then constant, linear (peak * (total - s) / (total - warmup)) or
 * cosine (peak * 0.5 * (1 + cos(pi * progress))), both reaching 0 at s = total.
 */
export function learningRate(schedule: number | LrSchedule, step: number, totalSteps: number): number {
  if (typeof schedule === 'number') return schedule;
  const s = step - 1;
  const warmup = schedule.warmupSteps ?? 0;
  if (s < warmup) return (schedule.peak * s) / Math.max(1, warmup);
  const decay = schedule.decay ?? 'constant';
  if (decay === 'constant') return schedule.peak;
  const progress = (s - warmup) / Math.max(1, totalSteps - warmup);
  if (decay === 'linear') return schedule.peak * Math.max(0, 1 - progress);
  return schedule.peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}
