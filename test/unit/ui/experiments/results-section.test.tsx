// The whole results section as markup (rendered on the server: the charts' canvases are drawn in effects, which do not
// run here, but each chart's figure, caption and series count are markup): every part is there with the right number
// of series, and a plot with nothing to draw is a sentence.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { itemsFor, type Experiment, type ExperimentResult } from '../../../../src/fiat/experiments/queue.ts';
import { expandGrid } from '../../../../src/fiat/experiments/spec.ts';
import { ResultsSection } from '../../../../src/ui/features/experiments/results/ResultsSection.tsx';
import { byLanguage, grid, traitsOf } from '../../fiat/experiments/fixtures.ts';
import { supportTask } from './task-fixture.ts';

const task = supportTask();

/** Every cell of the grid done, each run evaluated at steps 0 and 20 in fi and ja. */
async function experimentOf(methods: string[], sizes: number[]): Promise<{ experiment: Experiment; results: Map<string, ExperimentResult> }> {
  const items = (await itemsFor(await expandGrid(grid({ methods, sizes, seeds: [0, 1] }), traitsOf))).map((i) => ({ ...i, status: 'done' as const }));
  const results = new Map<string, ExperimentResult>();
  for (const item of items) {
    const good = item.spec.method === 'fiat' ? 2 : 1;
    const evaluations = [
      { step: 0, evaluation: byLanguage({ fi: [0, 2], ja: [1, 4] }) },
      { step: 20, evaluation: byLanguage({ fi: [good, 2], ja: [good + item.spec.seed, 4] }) },
    ];
    results.set(item.key, { key: item.key, taskId: task.id, runId: `run-${item.id}`, evaluations, finishedAt: 1 });
  }
  return { experiment: { id: 'x', taskId: task.id, name: 'My experiment', createdAt: 0, updatedAt: 0, items }, results };
}

/** As the studio renders it: inside a QueryClientProvider (the adapter export is a mutation). */
const render = (node: ReactNode) => renderToStaticMarkup(<QueryClientProvider client={new QueryClient()}>{node}</QueryClientProvider>);

const seriesOf = (html: string, caption: RegExp) => {
  const figure = [...html.matchAll(/<figure class="line-chart"><figcaption>(.*?)<\/figcaption><div[^>]*data-series="(\d+)"/g)].find((m) => caption.test(m[1]!));
  return figure ? Number(figure[2]) : null;
};

test('tables, three plots with their series, the comparison and the exports', async () => {
  const { experiment, results } = await experimentOf(['fiat', 'no-cot'], [10, 100]);
  const html = render(<ResultsSection task={task} experiment={experiment} results={results} />);
  // Two sizes: a results table and a per-language table each.
  expect([...html.matchAll(/<table class="metrics-table experiment-results-table"/g)]).toHaveLength(2);
  expect([...html.matchAll(/<table class="metrics-table experiment-language-table"/g)]).toHaveLength(2);
  // The first four trained runs are ticked at first: four series over steps.
  expect(seriesOf(html, /over steps/)).toBe(4);
  expect(seriesOf(html, /^Gain of FIAT over w\/o CoT-augmented tuning per language/)).toBe(1);
  expect(seriesOf(html, /by training-set size/)).toBe(2);
  expect(html).toContain('Compare two runs');
  expect(html).toContain('Results (CSV)');
  expect(html).toContain('Adapter (zip)');
});

test('one method, one size: no gain pair and no size plot, each said in words or left out', async () => {
  const { experiment, results } = await experimentOf(['fiat'], [100]);
  const html = render(<ResultsSection task={task} experiment={experiment} results={results} />);
  expect(html).not.toContain('by training-set size');
  expect(seriesOf(html, /Gain/)).toBeNull();
  expect(html).toContain('Pick two different methods to plot the gain of one over the other.');
  expect(seriesOf(html, /over steps/)).toBe(2);
});

test('no finished run: a sentence, no table', async () => {
  const { experiment } = await experimentOf(['fiat'], [100]);
  const html = render(<ResultsSection task={task} experiment={experiment} results={new Map()} />);
  expect(html).toContain('No run of this experiment has finished yet');
  expect(html).not.toContain('<table');
});
