// SQuAD v2.0 exact match and token F1: hand-worked cases, then the official script's functions replayed
// (test/fixtures/metrics/squad.json, scripts/fixtures/make_metric_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  answerTokens,
  exactMatch,
  isNoAnswer,
  normalizeAnswer,
  qaPredictionOf,
  scoreAnswer,
  tokenF1,
} from '../../../../src/fiat/metrics/squad.ts';

const TOLERANCE = 1e-12;

describe('normalizeAnswer', () => {
  test('lower-cases, drops ASCII punctuation, then articles, then squeezes whitespace', () => {
    expect(normalizeAnswer('The  Pittsburgh\tSteelers.')).toBe('pittsburgh steelers');
    expect(normalizeAnswer('An apple a day')).toBe('apple day');
    // Punctuation goes before articles are looked for: "The-End" is one word, "theend".
    expect(normalizeAnswer('The-End')).toBe('theend');
    expect(normalizeAnswer('theatre and athens')).toBe('theatre and athens');
    expect(normalizeAnswer('1,914')).toBe('1914');
  });

  test('leaves Unicode punctuation and compatibility forms as they are (the script is ASCII-only there)', () => {
    expect(normalizeAnswer('“Quoted”')).toBe('“quoted”');
    expect(normalizeAnswer('20–18')).toBe('20–18');
    expect(normalizeAnswer('Ａｐｐｌｅ')).toBe('ａｐｐｌｅ');
  });

  test("finds articles at Python's Unicode word boundaries: letters of any script are word characters, marks are not", () => {
    expect(normalizeAnswer('ক a খ')).toBe('ক খ');
    expect(normalizeAnswer('Москва a')).toBe('москва');
    expect(normalizeAnswer('xa ay')).toBe('xa ay');
    // Not ASCII \b: é, 東 and ½ are word characters, so no article starts or ends next to them.
    expect(normalizeAnswer('éa b')).toBe('éa b');
    expect(normalizeAnswer('the東京 a')).toBe('the東京');
    expect(normalizeAnswer('an½ the')).toBe('an½');
    expect(normalizeAnswer('a\u0301 b')).toBe('\u0301 b');
  });

  test("splits on what Python's str.split() splits on, not on JavaScript's \\s", () => {
    expect(normalizeAnswer('an\u3000apple')).toBe('apple');
    expect(normalizeAnswer('x\u0085y\u001cz')).toBe('x y z');
    expect(normalizeAnswer('x\ufeffy')).toBe('x\ufeffy');
    expect(answerTokens(' The . ')).toEqual([]);
  });
});

describe('exact match and token F1 by hand', () => {
  test('F1 counts shared tokens with multiplicity', () => {
    // gold one two two three, prediction two two two: shared min(2, 3) = 2 "two"; P = 2/3, R = 2/4;
    // F1 = 2·(2/3)·(1/2) / (2/3 + 1/2) = (2/3) / (7/6) = 4/7.
    expect(tokenF1('one two two three', 'two two two')).toBeCloseTo(4 / 7, 15);
    // "the" is dropped: prediction steelers of pittsburgh; shared 2; P = 2/3, R = 2/2; F1 = (4/3) / (5/3) = 4/5.
    expect(tokenF1('Pittsburgh Steelers', 'the Steelers of Pittsburgh')).toBeCloseTo(4 / 5, 15);
    expect(exactMatch('Pittsburgh Steelers', 'the Steelers of Pittsburgh')).toBe(0);
    expect(exactMatch('Pittsburgh Steelers', 'the pittsburgh steelers!')).toBe(1);
    expect(tokenF1('Pittsburgh Steelers', 'Denver Broncos')).toBe(0);
  });

  test('no answer scores 1 only against no answer, both ways', () => {
    expect(scoreAnswer(null, null)).toEqual({ exactMatch: 1, tokenF1: 1 });
    expect(scoreAnswer(null, 'Denver')).toEqual({ exactMatch: 0, tokenF1: 0 });
    expect(scoreAnswer('Denver', null)).toEqual({ exactMatch: 0, tokenF1: 0 });
    // Whatever normalises to "" is no answer, as the script's "" is; gold answers that do are dropped.
    expect(scoreAnswer(null, 'the')).toEqual({ exactMatch: 1, tokenF1: 1 });
    expect(scoreAnswer(['the', '.'], null)).toEqual({ exactMatch: 1, tokenF1: 1 });
    expect(scoreAnswer(['the', 'Denver'], null)).toEqual({ exactMatch: 0, tokenF1: 0 });
    // The task's no-answer text is an answer to the metric until qaPredictionOf turns it into null.
    expect(scoreAnswer(null, 'no answer')).toEqual({ exactMatch: 0, tokenF1: 0 });
  });

  test('takes the best over several gold answers', () => {
    // Broncos vs denver (F1 0), denver broncos (P 1, R 1/2: 2/3), broncos (exact).
    expect(scoreAnswer(['Denver', 'Denver Broncos', 'the Broncos'], 'Broncos')).toEqual({ exactMatch: 1, tokenF1: 1 });
    const partial = scoreAnswer(['Denver', 'Denver Broncos'], 'Broncos');
    expect(partial.exactMatch).toBe(0);
    expect(partial.tokenF1).toBeCloseTo(2 / 3, 15);
  });

  test("qaPredictionOf reads the task's no-answer text, and empty output, as no answer", () => {
    expect(qaPredictionOf('No Answer.', 'no answer')).toBeNull();
    expect(qaPredictionOf('  ', 'no answer')).toBeNull();
    expect(qaPredictionOf('Unanswerable', 'unanswerable')).toBeNull();
    expect(qaPredictionOf('no answer given', 'no answer')).toBe('no answer given');
    expect(qaPredictionOf('The Broncos', 'no answer')).toBe('The Broncos');
    expect(isNoAnswer('...')).toBe(true);
    expect(isNoAnswer('Broncos')).toBe(false);
  });
});

interface ScoreCase {
  golds: string[] | null;
  prediction: string | null;
  exactMatch: number;
  tokenF1: number;
}
const fixture = JSON.parse(readFileSync('test/fixtures/metrics/squad.json', 'utf8')) as {
  normalize: { text: string; normalized: string }[];
  scores: ScoreCase[];
};

describe('against the official SQuAD v2.0 functions', () => {
  test('normalize_answer', () => {
    expect(fixture.normalize.length).toBeGreaterThan(40);
    for (const c of fixture.normalize) expect(normalizeAnswer(c.text), JSON.stringify(c.text)).toBe(c.normalized);
  });

  test('get_raw_scores for one question', () => {
    expect(fixture.scores.length).toBeGreaterThan(200);
    expect(fixture.scores.some((c) => c.golds === null && c.exactMatch === 1)).toBe(true);
    expect(fixture.scores.some((c) => c.tokenF1 > 0 && c.tokenF1 < 1)).toBe(true);
    for (const c of fixture.scores) {
      const what = JSON.stringify([c.golds, c.prediction]);
      const score = scoreAnswer(c.golds, c.prediction);
      expect(score.exactMatch, what).toBe(c.exactMatch);
      expect(Math.abs(score.tokenF1 - c.tokenF1), what).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
