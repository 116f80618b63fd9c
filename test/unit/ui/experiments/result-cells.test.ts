// How the results views print cells, methods and runs.
import { expect, test } from 'vitest';
import { itemsFor } from '../../../../src/fiat/experiments/queue.ts';
import { expandGrid } from '../../../../src/fiat/experiments/spec.ts';
import { groupCaption, METHOD_ORDER, methodName, runLabel, spreadCell } from '../../../../src/ui/features/experiments/results/result-cells.ts';
import { grid, traitsOf } from '../../fiat/experiments/fixtures.ts';

test('a cell is "mean ± sd (n)" ×100 with one decimal, like the paper', () => {
  expect(spreadCell({ mean: 0.6875, sd: 0.0883883, n: 2 }, 'accuracy').text).toBe('68.8 ± 8.8 (2)');
  expect(spreadCell({ mean: 0.5, sd: 0, n: 3 }, 'accuracy').text).toBe('50.0 ± 0.0 (3)');
});

test('one run has no spread: "mean (1)", and its title says so', () => {
  const cell = spreadCell({ mean: 2 / 3, sd: null, n: 1 }, 'token-f1');
  expect(cell.text).toBe('66.7 (1)');
  expect(cell.title).toContain('no spread');
});

test('an empty cell is "–" with a title saying why', () => {
  const undefinedForAll = spreadCell({ mean: null, sd: null, n: 0 }, 'auc-pr');
  expect(undefinedForAll.text).toBe('–');
  expect(undefinedForAll.title).toMatch(/AUC-PR is undefined for every run/);
  const notReported = spreadCell(undefined, 'exact-match');
  expect(notReported.text).toBe('–');
  expect(notReported.title).toMatch(/report no EM/);
});

test("methods go by the paper's names in the catalogue's order; an unknown id as it is", () => {
  expect(METHOD_ORDER.slice(0, 4)).toEqual(['icl', 'fine-tune', 'fiat', 'no-cot']);
  expect(methodName('no-cot')).toBe('w/o CoT-augmented tuning');
  expect(methodName('fiat')).toBe('FIAT');
  expect(methodName('mystery')).toBe('mystery');
});

test('a group and a run in one line each', async () => {
  const [icl, fiat] = await itemsFor(await expandGrid(grid({ methods: ['icl', 'fiat'], seeds: [3] }), traitsOf));
  expect(groupCaption({ model: 'm@1', tau: { label: 'v2', hash: 'abcdef0123' }, size: 64 })).toBe('m@1 · I_τ v2 · 64 training examples');
  expect(groupCaption({ model: 'm@1', tau: { label: '', hash: 'abcdef0123' }, size: 64 })).toBe('m@1 · I_τ abcdef01 · 64 training examples');
  expect(runLabel({ item: fiat!, spec: fiat!.spec, evaluations: [] })).toBe('FIAT · seed 3 · 100 ex · I_τ v1');
  expect(runLabel({ item: icl!, spec: icl!.spec, evaluations: [] })).toBe('Few-shot ICL (no training)');
});
