// The comparison's counts per filter and its pages.
import { expect, test } from 'vitest';
import type { CompareRow } from '../../../../src/fiat/experiments/compare.ts';
import { compareCounts, comparePage, defaultPair } from '../../../../src/ui/features/experiments/results/comparison-view-model.ts';

const row = (id: string, aRight: boolean, bRight: boolean, differ: boolean): CompareRow => ({
  exampleId: id,
  lang: 'fi',
  question: `q${id}`,
  gold: 'yes',
  a: { output: aRight ? 'yes' : 'no', right: aRight },
  b: { output: differ ? (aRight ? 'no' : 'yes') : aRight ? 'yes' : 'no', right: bRight },
  differ,
});

const rows = [row('1', true, true, false), row('2', true, false, true), row('3', false, true, true), row('4', false, false, false), row('5', false, true, true)];

test('counts: each filter, and how often each run is right', () => {
  expect(compareCounts(rows)).toEqual({ all: 5, differ: 3, 'only-a-right': 1, 'only-b-right': 2, aRight: 2, bRight: 3 });
  expect(compareCounts([])).toEqual({ all: 0, differ: 0, 'only-a-right': 0, 'only-b-right': 0, aRight: 0, bRight: 0 });
});

test('pages of the filtered rows, clamped to the pages there are', () => {
  const first = comparePage(rows, 'all', 0, 2);
  expect(first.rows.map((r) => r.exampleId)).toEqual(['1', '2']);
  expect(first).toMatchObject({ page: 0, pages: 3, first: 1, total: 5 });
  expect(comparePage(rows, 'all', 2, 2).rows.map((r) => r.exampleId)).toEqual(['5']);
  // A filter that leaves fewer rows shows its last page.
  const differ = comparePage(rows, 'differ', 9, 2);
  expect(differ).toMatchObject({ page: 1, pages: 2, first: 3, total: 3 });
  expect(differ.rows.map((r) => r.exampleId)).toEqual(['5']);
  expect(comparePage(rows, 'only-b-right', 0).rows.map((r) => r.exampleId)).toEqual(['3', '5']);
  expect(comparePage([], 'all', 0)).toMatchObject({ rows: [], page: 0, pages: 1, first: 0, total: 0 });
});

test('the default pair: FIAT against w/o CoT-augmented tuning at the same seed, else another method, else the first two', () => {
  const run = (method: string, seed: number) => ({ spec: { method, seed } });
  const runs = [run('icl', 1), run('fine-tune', 1), run('fiat', 1), run('fiat', 2), run('no-cot', 2), run('no-cot', 1)];
  expect(defaultPair(runs)).toEqual([runs[2], runs[5]]);
  expect(defaultPair(runs.slice(0, 4))).toEqual([runs[2], runs[1]]);
  expect(defaultPair([run('fine-tune', 1), run('fine-tune', 2)])).toEqual([run('fine-tune', 1), run('fine-tune', 2)]);
  expect(defaultPair([])).toEqual([undefined, undefined]);
});
