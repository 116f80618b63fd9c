// Results tables, per-language tables, curves, gains and size series from hand-written runs, checked against numbers
// worked out by hand in the comments.
import { expect, test } from 'vitest';
import { itemsFor, type FinishedRun, type StepEvaluation } from '../../../../src/fiat/experiments/queue.ts';
import { finalEvaluation, languageGains, languageTables, metricBySize, metricCurve, resultsTables, spreadOf, type Spread } from '../../../../src/fiat/experiments/results.ts';
import { expandGrid } from '../../../../src/fiat/experiments/spec.ts';
import type { Evaluation } from '../../../../src/fiat/tuning/evaluate.ts';
import { accuracyEvaluation, byLanguage, grid, traitsOf } from './fixtures.ts';

const SQRT2 = Math.SQRT2;

/** A spread equal to (mean, sd, n) up to rounding. */
function expectSpread(actual: Spread | undefined, mean: number, sd: number | null, n: number) {
  expect(actual?.n).toBe(n);
  expect(actual?.mean).toBeCloseTo(mean, 14);
  if (sd === null) expect(actual?.sd).toBeNull();
  else expect(actual?.sd).toBeCloseTo(sd, 14);
}

/** The grid's runs, each finished with the evaluations `finals` gives for "method/seed" (or "method/seed/size"). */
async function finished(methods: string[], finals: Record<string, StepEvaluation[]>, sizes = [100]): Promise<FinishedRun[]> {
  const items = await itemsFor(await expandGrid(grid({ methods, sizes }), traitsOf));
  return items.flatMap((item) => {
    const evaluations = finals[`${item.spec.method}/${item.spec.seed}/${item.spec.size}`] ?? finals[`${item.spec.method}/${item.spec.seed}`];
    return evaluations ? [{ item, spec: item.spec, evaluations }] : [];
  });
}

const at = (evaluation: Evaluation, step = 20): StepEvaluation[] => [{ step: 0, evaluation: accuracyEvaluation(0, 2) }, { step, evaluation }];

// fiat   seed 0: fi 2/2, ja 2/4 -> overall 4/6, macro (1 + 0.5) / 2 = 0.75
//        seed 1: fi 1/2, ja 3/4 -> overall 4/6, macro (0.5 + 0.75) / 2 = 0.625
// no-cot seed 0: fi 1/2, ja 1/4;  seed 1: fi 1/2, ja 2/4
// icl    (one key for both seeds): fi 0/2, ja 4/4, unscored (text answers: no AUC-PR)
const finals = {
  'fiat/0': at(byLanguage({ fi: [2, 2], ja: [2, 4] })),
  'fiat/1': at(byLanguage({ fi: [1, 2], ja: [3, 4] })),
  'no-cot/0': at(byLanguage({ fi: [1, 2], ja: [1, 4] })),
  'no-cot/1': at(byLanguage({ fi: [1, 2], ja: [2, 4] })),
  'icl/0': [{ step: 0, evaluation: byLanguage({ fi: [0, 2], ja: [4, 4] }, false) }],
  'icl/1': [{ step: 0, evaluation: byLanguage({ fi: [0, 2], ja: [4, 4] }, false) }],
};

test('spread: the mean, the sample standard deviation and n of the defined values', () => {
  expectSpread(spreadOf([0.5, 0.75, null]), 0.625, 0.25 / SQRT2, 2);
  expect(spreadOf([0.4])).toEqual({ mean: 0.4, sd: null, n: 1 });
  expect(spreadOf([null, undefined])).toEqual({ mean: null, sd: null, n: 0 });
  // 1, 2, 3, 4: mean 2.5, squares 2.25 + 0.25 + 0.25 + 2.25 = 5, / 3.
  expect(spreadOf([1, 2, 3, 4]).sd).toBeCloseTo(Math.sqrt(5 / 3), 14);
});

test('the results table: rows in the catalogue order, metrics as the task reports them, mean and spread over seeds', async () => {
  const runs = await finished(['fiat', 'no-cot', 'icl'], finals);
  const [table, ...others] = resultsTables(runs, ['icl', 'fine-tune', 'fiat', 'no-cot']);
  expect(others).toEqual([]);
  expect(table!.group).toEqual({ model: 'fiat-studio/demo@abc123', tau: { label: 'v1', hash: runs[0]!.spec.tau.hash }, size: 100 });
  expect(table!.metrics).toEqual(['accuracy', 'auc-pr']);
  expect(table!.rows.map((r) => r.method)).toEqual(['icl', 'fiat', 'no-cot']);
  const [icl, fiat, noCot] = table!.rows;
  expect(fiat!.overall.accuracy).toEqual({ mean: 4 / 6, sd: 0, n: 2 });
  expectSpread(fiat!.macro.accuracy, 0.6875, 0.125 / SQRT2, 2);
  // no-cot overall 2/6 and 3/6: mean 5/12, sd (1/6) / sqrt 2.
  expectSpread(noCot!.overall.accuracy, 5 / 12, 1 / 6 / SQRT2, 2);
  // ICL's two cells are one result: n 1, no spread; AUC-PR undefined (nothing scored).
  expect(icl!.overall.accuracy).toEqual({ mean: 4 / 6, sd: null, n: 1 });
  expect(icl!.macro.accuracy).toEqual({ mean: 0.5, sd: null, n: 1 });
  expect(icl!.overall['auc-pr']).toEqual({ mean: null, sd: null, n: 0 });
  // Every example of fiat's is gold-positive: the ranking's precision is 1 at each one.
  expect(fiat!.overall['auc-pr']).toEqual({ mean: 1, sd: 0, n: 2 });
});

test('per-language tables and each language\'s gain of FIAT over the run without CoT against that run\'s score', async () => {
  const [table] = languageTables(await finished(['fiat', 'no-cot', 'icl'], finals), ['icl', 'fiat', 'no-cot']);
  expect(table!.languages).toEqual(['fi', 'ja']);
  const fiat = table!.rows.find((r) => r.method === 'fiat')!;
  // fi 1 and 0.5: mean 0.75, sd 0.5 / sqrt 2; ja 0.5 and 0.75: mean 0.625, sd 0.25 / sqrt 2.
  expectSpread(fiat.languages.fi!.accuracy, 0.75, 0.5 / SQRT2, 2);
  expectSpread(fiat.languages.ja!.accuracy, 0.625, 0.25 / SQRT2, 2);
  // no-cot fi 0.5 both seeds; ja 0.25 and 0.5 -> 0.375.
  expect(languageGains(table!, 'fiat', 'no-cot', 'accuracy')).toEqual([
    { lang: 'fi', baseline: 0.5, gain: 0.25 },
    { lang: 'ja', baseline: 0.375, gain: 0.25 },
  ]);
  expect(languageGains(table!, 'fiat', 'icl', 'auc-pr')).toEqual([]); // ICL has no AUC-PR in any language
  expect(languageGains(table!, 'fiat', 'fine-tune', 'accuracy')).toEqual([]);
});

test('a run\'s metric over steps, in step order; the final evaluation is the last step\'s', () => {
  const evaluations: StepEvaluation[] = [
    { step: 20, evaluation: accuracyEvaluation(3, 4) },
    { step: 0, evaluation: accuracyEvaluation(1, 4) },
    { step: 10, evaluation: accuracyEvaluation(2, 4) },
  ];
  expect(metricCurve(evaluations, 'accuracy', 'overall')).toEqual([{ step: 0, value: 0.25 }, { step: 10, value: 0.5 }, { step: 20, value: 0.75 }]);
  expect(metricCurve(evaluations, 'exact-match', 'macro').map((p) => p.value)).toEqual([null, null, null]);
  expect(finalEvaluation(evaluations)?.step).toBe(20);
  expect(finalEvaluation([])).toBeUndefined();
});

test('metric against training-set size: one series per method, sizes ascending', async () => {
  const runs = await finished(['fiat', 'icl'], {
    'fiat/0/1000': at(accuracyEvaluation(4, 4)),
    'fiat/1/1000': at(accuracyEvaluation(3, 4)),
    'fiat/0/100': at(accuracyEvaluation(1, 4)),
    'fiat/1/100': at(accuracyEvaluation(2, 4)),
    'icl/0': [{ step: 0, evaluation: accuracyEvaluation(2, 4) }],
  }, [1000, 100]);
  const tables = resultsTables(runs);
  const series = metricBySize(tables, { model: 'fiat-studio/demo@abc123', tauHash: runs[0]!.spec.tau.hash }, 'accuracy', 'overall');
  expect(series.map((s) => [s.method, s.points.map((p) => [p.size, p.value.mean, p.value.n])])).toEqual([
    ['fiat', [[100, 0.375, 2], [1000, 0.875, 2]]],
    ['icl', [[100, 0.5, 1], [1000, 0.5, 1]]],
  ]);
  expect(metricBySize(tables, { model: 'other', tauHash: 'x' }, 'accuracy', 'overall')).toEqual([]);
});
