// The generation sampler: greedy as torch.argmax, top-p sets by hand and as transformers' warpers make them
// (test/fixtures/sampling, scripts/fixtures/make_sampling_fixtures.py), seeded draws that repeat, and draw
// frequencies that match the distribution. Every draw comes from a fixed seed, so nothing here is flaky.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../src/engine/errors.ts';
import { createSampler, topPTokens } from '../../../src/engine/generation/sampler.ts';

const logitsOf = (probabilities: readonly number[]) => Float32Array.from(probabilities, Math.log);
const DIST = [0.5, 0.3, 0.15, 0.05];

function frequencies(sample: (l: Float32Array) => number, logits: Float32Array, draws: number): number[] {
  const counts = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < draws; i++) counts[sample(logits)]!++;
  return counts.map((c) => c / draws);
}

describe('greedy (temperature 0)', () => {
  test('is the argmax, the lowest id among equal maxima, as torch.argmax', () => {
    const sample = createSampler({ temperature: 0 });
    expect(sample(Float32Array.from([1, 3, 3, 2]))).toBe(1);
    expect(sample(Float32Array.from([-Infinity, -5, -7, -5]))).toBe(1);
    expect(sample(Float32Array.from([0, 0, 0]))).toBe(0);
    expect(createSampler()(Float32Array.from([0.1, 0.2, 0.9, 0.3]))).toBe(2);
  });

  test('ignores top-p and seed', () => {
    const logits = logitsOf(DIST);
    for (const seed of [0, 1, 99]) expect(createSampler({ temperature: 0, topP: 0.1, seed })(logits)).toBe(0);
  });

  test('logits with NaN, or without a finite value, are an internal error', () => {
    const sample = createSampler();
    expect(() => sample(Float32Array.from([0, NaN, 1]))).toThrow(/NaN at token 1/);
    expect(() => sample(Float32Array.from([-Infinity, -Infinity]))).toThrow(/no finite value/);
    expect(() => createSampler({ temperature: 1 })(Float32Array.from([0, NaN]))).toThrow(/NaN at token 1/);
  });
});

describe('settings', () => {
  test.each([
    [{ temperature: -0.5 }, /temperature/],
    [{ temperature: NaN }, /temperature/],
    [{ temperature: Infinity }, /temperature/],
    [{ topP: 0 }, /topP/],
    [{ topP: 1.5 }, /topP/],
    [{ topP: NaN }, /topP/],
    [{ seed: -1 }, /seed/],
    [{ seed: 1.5 }, /seed/],
  ])('%o is a usage error naming the field', (settings, field) => {
    let error: unknown;
    try {
      createSampler(settings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('usage');
    expect((error as EngineError).message).toMatch(field);
  });
});

describe('top-p', () => {
  // p = [0.5, 0.3, 0.15, 0.05]: mass before each token, most probable first, is 0, 0.5, 0.8, 0.95.
  test.each([
    [0.01, [0]],
    [0.45, [0]],
    [0.55, [0, 1]],
    [0.79, [0, 1]],
    [0.81, [0, 1, 2]],
    [0.94, [0, 1, 2]],
    [0.96, [0, 1, 2, 3]],
    [1, [0, 1, 2, 3]],
  ])('top-p %f keeps the smallest prefix that reaches it: %o', (topP, kept) => {
    expect(topPTokens(Float64Array.from(DIST), topP)).toEqual(kept);
  });

  test('ranks the most probable first, the lower id first on a tie, and never keeps nothing', () => {
    expect(topPTokens(Float64Array.from([0.05, 0.3, 0.15, 0.5]), 0.7)).toEqual([3, 1]);
    expect(topPTokens(Float64Array.from([0.2, 0.4, 0.4]), 0.3)).toEqual([1]);
    expect(topPTokens(Float64Array.from([0.2, 0.4, 0.4]), 0.5)).toEqual([1, 2]);
    expect(topPTokens(Float64Array.from([1, 0, 0]), 1e-9)).toEqual([0]);
  });

  test('a flat tail far below the maximum is reached', () => {
    const probabilities = new Float64Array(1000).fill(0.5 / 999);
    probabilities[500] = 0.5;
    expect(topPTokens(probabilities, 0.5 + 5.25 / 999)).toEqual([500, ...Array.from({ length: 11 }, (_, i) => i)]);
  });

  interface Case {
    logits: number[];
    temperature: number;
    topP: number;
    kept: number[];
  }
  const fixture = JSON.parse(readFileSync('test/fixtures/sampling/top-p.json', 'utf8')) as { cases: Case[] };

  test('draws only from the tokens transformers\' TemperatureLogitsWarper + TopPLogitsWarper keep', () => {
    expect(fixture.cases.length).toBeGreaterThan(30);
    for (const [i, c] of fixture.cases.entries()) {
      const logits = Float32Array.from(c.logits);
      const sample = createSampler({ temperature: c.temperature, topP: c.topP, seed: i });
      const drawn = new Set<number>();
      for (let d = 0; d < 400; d++) drawn.add(sample(logits));
      const kept = new Set(c.kept);
      expect([...drawn].filter((id) => !kept.has(id)), `case ${i}`).toEqual([]);
      // The kept set itself, through the same softmax the sampler uses (logits / temperature in float64).
      const max = Math.max(...c.logits);
      const weights = c.logits.map((l) => Math.exp((l - max) / c.temperature));
      const z = weights.reduce((a, w) => a + w, 0);
      expect(topPTokens(Float64Array.from(weights, (w) => w / z), c.topP).sort((a, b) => a - b), `case ${i}`).toEqual(c.kept);
    }
  });
});

describe('seeded draws', () => {
  const logits = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i));

  test('the same seed gives the same sequence; other seeds give others', () => {
    const run = (seed: number) => {
      const sample = createSampler({ temperature: 1, seed });
      return Array.from({ length: 40 }, () => sample(logits));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(run(0)).not.toEqual(run(7));
    expect(new Set(run(7)).size).toBeGreaterThan(5);
  });

  // 20,000 draws: a frequency's standard deviation is at most sqrt(0.25 / 20000) = 0.0035, so 0.015 is over 4 of
  // them; the seed is fixed, so this either always passes or always fails.
  const DRAWS = 20_000;
  const TOLERANCE = 0.015;

  test('frequencies match softmax(logits / temperature)', () => {
    for (const temperature of [1, 2, 0.5]) {
      const weights = DIST.map((p) => p ** (1 / temperature));
      const z = weights.reduce((a, w) => a + w, 0);
      const observed = frequencies(createSampler({ temperature, seed: 3 }), logitsOf(DIST), DRAWS);
      observed.forEach((f, id) => expect(Math.abs(f - weights[id]! / z), `temperature ${temperature}, token ${id}`).toBeLessThan(TOLERANCE));
    }
  });

  test('frequencies under top-p are the kept tokens\' probabilities renormalised', () => {
    const observed = frequencies(createSampler({ temperature: 1, topP: 0.7, seed: 5 }), logitsOf(DIST), DRAWS);
    [0.5 / 0.8, 0.3 / 0.8, 0, 0].forEach((p, id) => expect(Math.abs(observed[id]! - p), `token ${id}`).toBeLessThan(TOLERANCE));
    expect(observed[2]).toBe(0);
    expect(observed[3]).toBe(0);
  });

  test('a tiny temperature is the argmax, not NaN', () => {
    const sample = createSampler({ temperature: 1e-30, seed: 1 });
    for (let i = 0; i < 20; i++) expect(sample(logitsOf(DIST))).toBe(0);
  });
});
