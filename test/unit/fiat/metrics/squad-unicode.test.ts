// normalize_answer's character classes over all of Unicode, against Python (test/fixtures/metrics/unicode.json,
// scripts/fixtures/make_metric_fixtures.py): which characters are word characters for \b, which are whitespace for
// str.split(), and what str.lower() makes of each. Only code points assigned in Python's Unicode version are
// checked; a browser's newer Unicode may know more, which no answer in the sample tasks uses.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { normalizeAnswer } from '../../../../src/fiat/metrics/squad.ts';

const facts = JSON.parse(readFileSync('test/fixtures/metrics/unicode.json', 'utf8')) as {
  unicodeVersion: string;
  assigned: [number, number][];
  word: [number, number][];
  space: number[];
  lower: Record<string, string>;
};

const inRanges = (runs: readonly [number, number][]) => {
  const set = new Set<number>();
  for (const [first, last] of runs) for (let c = first; c <= last; c++) set.add(c);
  return set;
};
const assigned = [...inRanges(facts.assigned)].filter((c) => c < 0xd800 || c >= 0xe000);
const word = inRanges(facts.word);
const space = new Set(facts.space);
const ASCII_PUNCTUATION = new Set([...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'].map((ch) => ch.codePointAt(0)!));
const pythonLower = (c: number) => facts.lower[String(c)] ?? String.fromCodePoint(c);

describe(`normalizeAnswer's classes equal Python's (Unicode ${facts.unicodeVersion})`, () => {
  test('the fixture covers Unicode', () => {
    expect(assigned.length).toBeGreaterThan(140_000);
    expect(word.size).toBeGreaterThan(130_000);
  });

  test('lower case: String.prototype.toLowerCase is str.lower() for every assigned character', () => {
    const differ = assigned.filter((c) => String.fromCodePoint(c).toLowerCase() !== pythonLower(c));
    expect(differ.map((c) => c.toString(16))).toEqual([]);
  });

  test('an article next to a character is kept exactly when that character (lower-cased) is a word character', () => {
    // "Xa": the a is an article only if a \b lies between X and a, i.e. X's lower case ends in a non-word
    // character; "theX" likewise with the start of X's lower case.
    const differ = assigned.filter((c) => {
      if (space.has(c) || ASCII_PUNCTUATION.has(c)) return false;
      const lowered = [...pythonLower(c)].map((ch) => ch.codePointAt(0)!);
      const ch = String.fromCodePoint(c);
      const keptAfter = normalizeAnswer(`${ch}a`).endsWith('a');
      const keptBefore = normalizeAnswer(`the${ch}`).startsWith('the');
      return keptAfter !== word.has(lowered[lowered.length - 1]!) || keptBefore !== word.has(lowered[0]!);
    });
    expect(differ.map((c) => c.toString(16))).toEqual([]);
  });

  test('whitespace: exactly the characters str.isspace() accepts split words', () => {
    const differ = assigned.filter((c) => (normalizeAnswer(`x${String.fromCodePoint(c)}y`) === 'x y') !== space.has(c));
    expect(differ.map((c) => c.toString(16))).toEqual([]);
  });
});
