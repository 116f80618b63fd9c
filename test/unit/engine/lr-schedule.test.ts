import { expect, test } from 'vitest';
import { learningRate } from '../../../src/engine/lr-schedule.ts';

// Known values of transformers' schedulers (get_linear_schedule_with_warmup, get_cosine_schedule_with_warmup,
// get_constant_schedule_with_warmup) for 10 total steps and 2 of warm-up, as lr of updates 1..10 (the scheduler
// factor at step index 0..9).
test('linear with warm-up: 0, peak/2, then down to peak/8 at the last update', () => {
  const lr = (s: number) => learningRate({ peak: 1, warmupSteps: 2, decay: 'linear' }, s, 10);
  expect([1, 2, 3, 4, 10].map(lr)).toEqual([0, 0.5, 1, 7 / 8, 1 / 8]);
});

test('cosine with warm-up follows half a cosine from peak to 0', () => {
  const lr = (s: number) => learningRate({ peak: 2, warmupSteps: 2, decay: 'cosine' }, s, 10);
  expect(lr(3)).toBe(2);
  expect(lr(7)).toBeCloseTo(2 * 0.5 * (1 + Math.cos(Math.PI * 0.5)), 12);
  expect(lr(10)).toBeCloseTo(2 * 0.5 * (1 + Math.cos((Math.PI * 7) / 8)), 12);
});

test('a number is a constant rate; constant decay keeps the peak after warm-up', () => {
  expect(learningRate(3e-4, 7, 10)).toBe(3e-4);
  expect([1, 2, 5].map((s) => learningRate({ peak: 1, warmupSteps: 1, decay: 'constant' }, s, 10))).toEqual([0, 1, 1]);
});
