// The results tables as markup (rendered on the server, no DOM): a real <table> per group with a caption and header
// cells, rows by the paper's names in the catalogue's order, cells "mean ± sd (n)" with their raw mean, "–" with why.
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { itemsFor, type FinishedRun } from '../../../../src/fiat/experiments/queue.ts';
import { languageTables, resultsTables } from '../../../../src/fiat/experiments/results.ts';
import { expandGrid } from '../../../../src/fiat/experiments/spec.ts';
import { METHOD_ORDER } from '../../../../src/ui/features/experiments/results/result-cells.ts';
import { ResultsTables } from '../../../../src/ui/features/experiments/results/ResultsTables.tsx';
import { byLanguage, grid, traitsOf } from '../../fiat/experiments/fixtures.ts';

// fiat seed 0: fi 2/2, ja 2/4 (overall 4/6, macro 0.75); seed 1: fi 1/2, ja 3/4 (overall 4/6, macro 0.625).
// icl: one result for both seeds, fi 0/2, ja 4/4, unscored (no AUC-PR).
async function finished(): Promise<FinishedRun[]> {
  const items = await itemsFor(await expandGrid(grid({ methods: ['fiat', 'icl'] }), traitsOf));
  const finals: Record<string, ReturnType<typeof byLanguage>> = {
    'fiat/0': byLanguage({ fi: [2, 2], ja: [2, 4] }),
    'fiat/1': byLanguage({ fi: [1, 2], ja: [3, 4] }),
    'icl/0': byLanguage({ fi: [0, 2], ja: [4, 4] }, false),
    'icl/1': byLanguage({ fi: [0, 2], ja: [4, 4] }, false),
  };
  return items.map((item) => ({ item, spec: item.spec, evaluations: [{ step: 20, evaluation: finals[`${item.spec.method}/${item.spec.seed}`]! }] }));
}

/** The text of each <tr>'s cells, tags stripped. */
function rowsOf(table: string): string[][] {
  return [...table.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));
}

test("one table per group in the paper's layout, then the per-language tables", async () => {
  const runs = await finished();
  const html = renderToStaticMarkup(<ResultsTables tables={resultsTables(runs, METHOD_ORDER)} languageTables={languageTables(runs, METHOD_ORDER)} />);
  const tables = [...html.matchAll(/<table.*?<\/table>/g)].map((m) => m[0]);
  expect(tables).toHaveLength(2);
  const [results, perLanguage] = tables as [string, string];
  expect(results).toContain('<caption');
  expect(results).toContain('Results: fiat-studio/demo@abc123 · I_τ v1 · 100 training examples');
  expect(rowsOf(results)).toEqual([
    ['Method', 'Accuracy', 'AUC-PR'],
    ['Overall', 'Macro', 'Overall', 'Macro'],
    // ICL comes first (the catalogue's order) though queued last; its two cells are one result.
    ['Few-shot ICL', '66.7 (1)', '50.0 (1)', '–', '–'],
    ['FIAT', '66.7 ± 0.0 (2)', '68.8 ± 8.8 (2)', '100.0 ± 0.0 (2)', '100.0 ± 0.0 (2)'],
  ]);
  expect(results).toMatch(/<td title="AUC-PR is undefined for every run[^"]*"[^>]*data-metric="auc-pr" data-aggregate="overall"/);
  expect(results).toContain('data-metric="accuracy" data-aggregate="macro" data-mean="0.6875" data-n="2"');
  expect(html).toMatch(/<details[^>]*><summary>Per-language results<\/summary>/);
  expect(rowsOf(perLanguage).slice(0, 2)).toEqual([
    ['Method', 'fi', 'ja'],
    ['Accuracy', 'AUC-PR', 'Accuracy', 'AUC-PR'],
  ]);
  expect(rowsOf(perLanguage)[3]).toEqual(['FIAT', '75.0 ± 35.4 (2)', '100.0 ± 0.0 (2)', '62.5 ± 17.7 (2)', '100.0 ± 0.0 (2)']);
});
