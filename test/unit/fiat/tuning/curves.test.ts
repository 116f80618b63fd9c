import { expect, test } from 'vitest';
import { formatDuration, paddingShare, smoothLosses, throughput } from '../../../../src/fiat/tuning/curves.ts';

test('smoothing is TensorBoard\'s debiased EMA: the first point is itself, then weighted towards the past', () => {
  const points = [4, 2, 2, 0].map((loss, i) => ({ step: i + 1, loss }));
  const smoothed = smoothLosses(points, 0.5);
  // ema: 2, 2, 2, 1 over debias 1 - 0.5^n: 0.5, 0.75, 0.875, 0.9375
  expect(smoothed[0]).toBeCloseTo(4, 12);
  expect(smoothed[1]).toBeCloseTo(2 / 0.75, 12);
  expect(smoothed[2]).toBeCloseTo(2 / 0.875, 12);
  expect(smoothed[3]).toBeCloseTo(1 / 0.9375, 12);
  expect(smoothLosses(points, 0)).toEqual([4, 2, 2, 0]);
  expect(() => smoothLosses(points, 1)).toThrow(/\[0, 1\)/);
});

test('throughput over the window of the current segment, with the time left', () => {
  const samples = [
    { step: 1, tokens: 100, elapsedMs: 5000 }, // the first includes the setup
    { step: 2, tokens: 100, elapsedMs: 6000 },
    { step: 3, tokens: 200, elapsedMs: 7000 },
    // a new segment (after an evaluation): elapsed restarts
    { step: 4, tokens: 100, elapsedMs: 3000 },
    { step: 5, tokens: 100, elapsedMs: 3500 },
    { step: 6, tokens: 300, elapsedMs: 4000 },
  ];
  const pace = throughput(samples, 10)!;
  expect(pace.secondsPerStep).toBeCloseTo(0.5, 12);
  expect(pace.tokensPerSecond).toBeCloseTo(400, 12);
  expect(pace.secondsLeft).toBeCloseTo(2, 12);
  expect(throughput(samples.slice(0, 1), 10)).toBeNull();
  expect(throughput(samples.slice(0, 4), 10)).toBeNull();
});

test('durations read as people say them', () => {
  expect(formatDuration(12.4)).toBe('12 s');
  expect(formatDuration(200)).toBe('3 min 20 s');
  expect(formatDuration(3840)).toBe('1 h 4 min');
});

test('the padding share is 1 - tokens / positions over the samples that report positions', () => {
  expect(paddingShare([])).toBeNull();
  expect(paddingShare([{ step: 1, tokens: 10, elapsedMs: 1 }])).toBeNull();
  expect(paddingShare([
    { step: 1, tokens: 96, positions: 128, elapsedMs: 1 },
    { step: 2, tokens: 64, positions: 128, elapsedMs: 2 },
    { step: 3, tokens: 5, elapsedMs: 3 },
  ])).toBeCloseTo(0.375, 12);
});
