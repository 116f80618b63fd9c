// The plots' series: runs over the union of their steps, the gain scatter, and the size curves (values ×100).
import { expect, test } from 'vitest';
import { itemsFor, type FinishedRun, type StepEvaluation } from '../../../../src/fiat/experiments/queue.ts';
import { languageTables, resultsTables } from '../../../../src/fiat/experiments/results.ts';
import { expandGrid } from '../../../../src/fiat/experiments/spec.ts';
import { gainScatter, sizeCurves, sizesOf, stepCurves } from '../../../../src/ui/features/experiments/results/plot-series.ts';
import { methodName } from '../../../../src/ui/features/experiments/results/result-cells.ts';
import { accuracyEvaluation, byLanguage, grid, traitsOf } from '../../fiat/experiments/fixtures.ts';

async function runs(methods: string[], evaluationsOf: (method: string, seed: number, size: number) => StepEvaluation[] | undefined, sizes = [100], seeds = [0]): Promise<FinishedRun[]> {
  const items = await itemsFor(await expandGrid(grid({ methods, sizes, seeds }), traitsOf));
  return items.flatMap((item) => {
    const evaluations = evaluationsOf(item.spec.method, item.spec.seed, item.spec.size);
    return evaluations ? [{ item, spec: item.spec, evaluations }] : [];
  });
}

test('metric over steps: one series per run over the union of their steps, null where a run has no evaluation', async () => {
  const [a, b] = await runs(['fiat', 'no-cot'], (method) =>
    method === 'fiat'
      ? [{ step: 10, evaluation: accuracyEvaluation(3, 4) }, { step: 0, evaluation: accuracyEvaluation(1, 4) }]
      : [{ step: 0, evaluation: accuracyEvaluation(2, 4) }, { step: 5, evaluation: accuracyEvaluation(4, 4) }],
  );
  const data = stepCurves([{ label: 'A', run: a! }, { label: 'B', run: b! }], 'accuracy', 'overall');
  expect(data.x).toEqual([0, 5, 10]);
  expect(data.series).toEqual([
    { label: 'A', values: [25, null, 75] },
    { label: 'B', values: [50, 100, null] },
  ]);
  expect(stepCurves([], 'accuracy', 'macro')).toEqual({ x: [], series: [] });
});

test('gain per language: FIAT minus the baseline against the baseline, x ascending, one series', async () => {
  // fiat: fi 2/2, ja 1/4, ko 3/4; no-cot: fi 1/2, ja 2/4, ko 1/4 -> (50, +50), (50, -25), (25, +50)
  const finished = await runs(['fiat', 'no-cot'], (method) => [
    { step: 20, evaluation: method === 'fiat' ? byLanguage({ fi: [2, 2], ja: [1, 4], ko: [3, 4] }) : byLanguage({ fi: [1, 2], ja: [2, 4], ko: [1, 4] }) },
  ]);
  const [table] = languageTables(finished, ['fiat', 'no-cot']);
  const scatter = gainScatter(table!, 'fiat', 'no-cot', 'accuracy', 'gain');
  expect(scatter.points.map((p) => p.lang)).toEqual(['ko', 'fi', 'ja']);
  expect(scatter.points.map((p) => [p.baseline, p.gain])).toEqual([
    [25, 50],
    [50, 50],
    [50, -25],
  ]);
  // fi and ja share x = 50: each is a point.
  expect(scatter.x).toEqual([25, 50, 50]);
  expect(scatter.series).toEqual([{ label: 'gain', values: [50, 50, -25] }]);
  expect(gainScatter(table!, 'fiat', 'distilled-cot', 'accuracy', 'gain')).toEqual({ x: [], series: [], points: [] });
});

test('metric by size: one series per method over the sizes, the mean over seeds', async () => {
  // fiat: size 10 seeds 1/4, 3/4 -> 50; size 100 4/4 both -> 100. no-cot only at size 100: 2/4 -> 50.
  const finished = await runs(
    ['fiat', 'no-cot'],
    (method, seed, size) => {
      if (method === 'fiat') return [{ step: 20, evaluation: accuracyEvaluation(size === 10 ? (seed === 0 ? 1 : 3) : 4, 4) }];
      return size === 100 ? [{ step: 20, evaluation: accuracyEvaluation(2, 4) }] : undefined;
    },
    [10, 100],
    [0, 1],
  );
  const tables = resultsTables(finished, ['fiat', 'no-cot']);
  const select = { model: tables[0]!.group.model, tauHash: tables[0]!.group.tau.hash };
  expect(sizesOf(tables, select)).toEqual([10, 100]);
  expect(sizesOf(tables, { ...select, tauHash: 'other' })).toEqual([]);
  const data = sizeCurves(tables, select, 'accuracy', 'overall', methodName);
  expect(data.x).toEqual([10, 100]);
  expect(data.series).toEqual([
    { label: 'FIAT', values: [50, 100] },
    { label: 'w/o CoT-augmented tuning', values: [null, 50] },
  ]);
});
