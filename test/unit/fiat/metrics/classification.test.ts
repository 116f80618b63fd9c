// Accuracy and average precision (AUC-PR): hand-worked cases, then scikit-learn's values replayed
// (test/fixtures/metrics/classification.json, scripts/fixtures/make_metric_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { accuracy, averagePrecision } from '../../../../src/fiat/metrics/classification.ts';

const TOLERANCE = 1e-12;
const ap = (labels: readonly number[], scores: readonly number[]) => averagePrecision(labels.map((l) => l === 1), scores);

describe('averagePrecision by hand', () => {
  test('is the step-wise sum of precision times the recall gained at each threshold', () => {
    // Ranked 1 0 1 0 1 (3 positives). Thresholds where recall rises: after 1 (P 1/1, R 1/3), after 3 (P 2/3, R 2/3),
    // after 5 (P 3/5, R 1): AP = 1/3·1 + 1/3·2/3 + 1/3·3/5 = 15/45 + 10/45 + 9/45 = 34/45.
    expect(ap([1, 0, 1, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5])).toBeCloseTo(34 / 45, 15);
  });

  test('is not interpolated', () => {
    // Ranked 0 1 1: after 2 P 1/2, R 1/2; after 3 P 2/3, R 1: AP = 1/2·1/2 + 1/2·2/3 = 7/12. Interpolating (the
    // best precision at any higher recall) would give 1/2·2/3 + 1/2·2/3 = 2/3.
    expect(ap([0, 1, 1], [0.9, 0.8, 0.7])).toBeCloseTo(7 / 12, 15);
  });

  test('groups tied scores into one threshold, so their order does not matter', () => {
    // Scores 0.9 0.9 | 0.5 0.5 with one positive in each pair: at 0.9 P 1/2, R 1/2; at 0.5 P 2/4, R 1:
    // AP = 1/2·1/2 + 1/2·1/2 = 1/2. Ranking the positive first inside each pair would give 1/2 + 1/2·2/3 = 5/6.
    expect(ap([1, 0, 1, 0], [0.9, 0.9, 0.5, 0.5])).toBe(0.5);
    expect(ap([0, 1, 0, 1], [0.9, 0.9, 0.5, 0.5])).toBe(0.5);
    // All equal: one threshold, P = positives / examples = 2/5, R = 1.
    expect(ap([1, 0, 1, 0, 0], [0.3, 0.3, 0.3, 0.3, 0.3])).toBeCloseTo(0.4, 15);
    // 0 and -0 are one score: at 0.5 P 1, R 1/2; at 0 P 2/3, R 1: 1/2 + 1/3 = 5/6.
    expect(ap([1, 0, 1], [0, -0, 0.5])).toBeCloseTo(5 / 6, 15);
  });

  test('is 1 when every example is positive, and null (sklearn: 0 and a warning) when none is', () => {
    expect(ap([1, 1, 1], [0.2, 0.9, 0.5])).toBe(1);
    expect(ap([1], [0.4])).toBe(1);
    expect(ap([0, 0], [0.2, 0.9])).toBeNull();
    expect(ap([], [])).toBeNull();
  });

  test('takes any finite scores (log-probabilities) and refuses NaN, infinities and mismatched lengths', () => {
    expect(ap([0, 1], [-3, -0.5])).toBe(1);
    expect(() => ap([0, 1], [0.2, NaN])).toThrow(/score 1 is NaN/);
    expect(() => ap([0, 1], [Infinity, 0.5])).toThrow(RangeError);
    expect(() => ap([0, 1], [0.5])).toThrow(/2 labels, 1 scores/);
  });
});

describe('accuracy by hand', () => {
  test('is the fraction right; no label is wrong; no examples is null', () => {
    // 1=1 right, 0≠1 wrong, no label wrong, 1=1 right: 2/4.
    expect(accuracy(['1', '0', '1', '1'], ['1', '1', null, '1'])).toBe(0.5);
    expect(accuracy([], [])).toBeNull();
    expect(() => accuracy(['1'], [])).toThrow(RangeError);
  });
});

interface ApCase {
  name: string;
  labels: number[];
  scores: number[];
  averagePrecision: number;
  warning?: string;
}
interface AccuracyCase {
  gold: string[];
  predicted: (string | null)[];
  accuracy: number;
}
const fixture = JSON.parse(readFileSync('test/fixtures/metrics/classification.json', 'utf8')) as {
  averagePrecision: ApCase[];
  accuracy: AccuracyCase[];
};

describe('against scikit-learn', () => {
  test('the fixture has the cases it was made for', () => {
    expect(fixture.averagePrecision.length).toBeGreaterThan(80);
    expect(fixture.averagePrecision.filter((c) => c.warning !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(fixture.averagePrecision.some((c) => new Set(c.scores).size < c.scores.length / 4)).toBe(true);
  });

  test.each(fixture.averagePrecision.map((c) => [c.name, c] as const))('average_precision_score: %s', (_, c) => {
    const value = ap(c.labels, c.scores);
    if (c.warning !== undefined) {
      // The one documented difference: no positive example.
      expect(c.warning).toMatch(/No positive class found/);
      expect(c.averagePrecision).toBe(0);
      expect(value).toBeNull();
      return;
    }
    expect(value).not.toBeNull();
    expect(Math.abs(value! - c.averagePrecision)).toBeLessThanOrEqual(TOLERANCE);
  });

  test('accuracy_score', () => {
    for (const c of fixture.accuracy) expect(accuracy(c.gold, c.predicted)).toBe(c.accuracy);
  });
});
