import { expect, test } from 'vitest';
import { parseBaseCheckpoint, parseSeeds, parseSizes } from '../../../../src/ui/features/experiments/queue/grid-fields.ts';

test('sizes: whole numbers and "all" (the train split), ascending whatever the typed order; empty entries skipped', () => {
  expect(parseSizes('16, 64, all', 120)).toEqual({ ok: true, value: [16, 64, 120] });
  expect(parseSizes('all, 8,', 120)).toEqual({ ok: true, value: [8, 120] });
  expect(parseSizes(' ALL ', 7)).toEqual({ ok: true, value: [7] });
  expect(parseSizes('120', 120)).toEqual({ ok: true, value: [120] });
});

test('sizes: each problem is named, all of them at once', () => {
  expect(parseSizes('', 10)).toEqual({ ok: false, message: 'Enter at least one size, e.g. "16, 64, all".' });
  expect(parseSizes(' , ', 10)).toMatchObject({ ok: false });
  expect(parseSizes('abc', 10)).toEqual({ ok: false, message: '"abc" is not a whole number (or "all").' });
  expect(parseSizes('1.5, 1e1, 0x10', 100)).toEqual({
    ok: false,
    message: '"1.5" is not a whole number (or "all"). "1e1" is not a whole number (or "all"). "0x10" is not a whole number (or "all").',
  });
  expect(parseSizes('0', 10)).toEqual({ ok: false, message: 'A size must be at least 1 (got 0).' });
  expect(parseSizes('-4', 10)).toEqual({ ok: false, message: 'A size must be at least 1 (got -4).' });
  expect(parseSizes('16, 200', 120)).toEqual({ ok: false, message: '200 is more than the 120 examples of the train split.' });
  expect(parseSizes('2', 1)).toEqual({ ok: false, message: '2 is more than the 1 example of the train split.' });
  expect(parseSizes('all', 0)).toEqual({ ok: false, message: '"all" means every training example, and the train split has none.' });
});

test('sizes: a value given twice is an error, also when "all" spells it', () => {
  expect(parseSizes('16, 16', 120)).toEqual({ ok: false, message: '16 is listed twice.' });
  expect(parseSizes('120, all', 120)).toEqual({ ok: false, message: '120 is listed twice (as 120 and all).' });
  expect(parseSizes('4, 4, 4', 120)).toEqual({ ok: false, message: '4 is listed 3 times.' });
});

test('seeds: whole numbers from 0 to 2^32 - 1, distinct, in the typed order', () => {
  expect(parseSeeds('1, 2')).toEqual({ ok: true, value: [1, 2] });
  expect(parseSeeds('3,0,4294967295')).toEqual({ ok: true, value: [3, 0, 4294967295] });
  expect(parseSeeds('')).toEqual({ ok: false, message: 'Enter at least one seed, e.g. "1, 2".' });
  expect(parseSeeds('1, x')).toEqual({ ok: false, message: '"x" is not a whole number.' });
  expect(parseSeeds('-1')).toEqual({ ok: false, message: 'A seed must be at least 0 (got -1).' });
  expect(parseSeeds('4294967296')).toEqual({ ok: false, message: '4294967296 is over the largest seed, 4294967295.' });
  expect(parseSeeds('1, 2, 1')).toEqual({ ok: false, message: '1 is listed twice.' });
});

test('base checkpoint: repo@revision, main when no revision is given', () => {
  expect(parseBaseCheckpoint(' HuggingFaceTB/SmolLM2-135M@abc123 ')).toEqual({
    ok: true,
    value: { repo: 'HuggingFaceTB/SmolLM2-135M', revision: 'abc123', label: 'HuggingFaceTB/SmolLM2-135M@abc123' },
  });
  expect(parseBaseCheckpoint('gpt2')).toEqual({ ok: true, value: { repo: 'gpt2', revision: 'main', label: 'gpt2@main' } });
});

test('base checkpoint: empty, a bad repo id or a bad revision each say so', () => {
  expect(parseBaseCheckpoint('  ')).toMatchObject({ ok: false, message: expect.stringContaining('Name the base checkpoint') as unknown });
  expect(parseBaseCheckpoint('a/b/c@main')).toEqual({ ok: false, message: '"a/b/c" is not a Hub repo id (owner/name).' });
  expect(parseBaseCheckpoint('owner/name@')).toEqual({ ok: false, message: 'Give a revision after "@" (a commit or a branch), or leave "@" out for main.' });
  expect(parseBaseCheckpoint('owner/name@a@b')).toEqual({ ok: false, message: '"a@b" is not a revision (one "@", no spaces).' });
  expect(parseBaseCheckpoint('my model@main')).toEqual({ ok: false, message: '"my model" is not a Hub repo id (owner/name).' });
});
