// Two runs side by side as markup (rendered on the server): runs A and B are the first two finished, the counts and
// filters say how they differ, and every example both evaluated has a row with both outputs and verdicts.
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { itemsFor, type FinishedRun } from '../../../../src/fiat/experiments/queue.ts';
import { expandGrid } from '../../../../src/fiat/experiments/spec.ts';
import { RunComparison } from '../../../../src/ui/features/experiments/results/RunComparison.tsx';
import { evaluation, grid, traitsOf } from '../../fiat/experiments/fixtures.ts';
import { supportTask } from './task-fixture.ts';

const task = supportTask(['e0', 'e1', 'e2'].map((id) => ({ id, split: 'validation' as const, lang: 'fi', question: `Question ${id} <b>?</b>`, passage: 'p', answer: 'a', label: '1' })));

test('A against B: counts, filters with counts, one row per example both evaluated, text escaped', async () => {
  const items = await itemsFor(await expandGrid(grid({ methods: ['fiat', 'no-cot'], seeds: [0] }), traitsOf));
  const right = { fiat: [true, true, false], 'no-cot': [true, false, false] } as Record<string, boolean[]>;
  const runs: FinishedRun[] = items.map((item) => ({
    item,
    spec: item.spec,
    evaluations: [{ step: 20, evaluation: evaluation(right[item.spec.method]!.map((correct, i) => ({ id: `e${i}`, lang: 'fi', correct }))) }],
  }));
  const html = renderToStaticMarkup(<RunComparison runs={runs} task={task} />);
  expect(html).toContain('3 examples compared: A right on 2, B right on 1; outputs differ on 1.');
  expect(html).toContain('All (3)');
  expect(html).toContain('Outputs differ (1)');
  expect(html).toContain('Only A right (1)');
  expect(html).toContain('Only B right (0)');
  const rows = [...html.matchAll(/<tr data-differ="(true|false)">/g)].map((m) => m[1]);
  expect(rows).toEqual(['false', 'true', 'false']);
  expect(html).toContain('Question e0 &lt;b&gt;?&lt;/b&gt;');
  expect(html).not.toContain('<b>?</b>');
});

test('fewer than two finished runs: nothing to compare', () => {
  expect(renderToStaticMarkup(<RunComparison runs={[]} task={task} />)).toBe('');
});
