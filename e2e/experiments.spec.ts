import { readFile } from 'node:fs/promises';
import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { FIAT_VALIDATION_COUNT, importFiatDataset } from './support/fiat-dataset.ts';
import { E2E_API_KEY, expect, test } from './support/studio-servers-fixture.ts';
import { fillTuning, loadDemo, resultCell, type RunPredictions, tickMethods, tunedRunMetrics } from './support/experiment-steps.ts';
import { unzipText } from './support/unzip.ts';
import { expectNoSeriousViolations } from './support/axe.ts';

/**
 * Issue 20's path in Chromium: the reasoning from the local OpenAI-compatible server, then an experiment of ICL,
 * fine-tuning, FIAT and the ablation without CoT-augmented tuning, 2 seeds each, on the demo model from the local Hub
 * (WebGPU on SwiftShader: tiny shapes, 4 steps a run). The page is reloaded in the middle of the queue, which resumes
 * the interrupted run from its checkpoint; then the results table is checked against metrics this file computes from
 * the predictions the page exports, and the plots against the runs they draw.
 */

const TAU = 'Question: {{question}}\nPassage: {{passage}}\nReasoning: {{reasoning}}\nLabel:';

/** What the builder ticks, by the paper's names, and their method ids (the table's rows). */
const METHODS = [
  { name: 'Few-shot ICL', id: 'icl', trains: false },
  { name: 'Fine-tune', id: 'fine-tune', trains: true },
  { name: 'FIAT', id: 'fiat', trains: true },
  { name: 'w/o CoT-augmented tuning', id: 'no-cot', trains: true },
] as const;
const SEEDS = [1, 2];
/** The queue's items: a cell per method and seed (ICL's second cell reuses its first's result). */
const ITEMS = METHODS.length * SEEDS.length;
/** What runs: ICL trains nothing, so its cells are one run. */
const RUNS = 1 + 3 * SEEDS.length;

async function generateReasoning(reasoning: ReasoningPage, split: string): Promise<void> {
  await reasoning.openTab();
  await reasoning.scope().selectOption({ label: `the ${split} split (6)` });
  await reasoning.runBatch();
  await expect(reasoning.result()).toHaveText('Finished: every example has its reasoning.');
}

const mean = (values: readonly number[]) => values.reduce((a, v) => a + v, 0) / values.length;

test.describe('Experiments tab', () => {
  test('ICL, fine-tune, FIAT and w/o CoT with 2 seeds: a reload mid-queue resumes, the table = metrics of the predictions, the plots draw each run', async ({ page, hub, openaiServer }) => {
    test.setTimeout(2_400_000);
    const studio = new StudioPage(page);
    await studio.goto();
    await importFiatDataset(studio);
    await studio.api((api, tau) => api.setInstruction('tau', tau), TAU);
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
    for (const split of ['train', 'validation']) await generateReasoning(reasoning, split);
    await loadDemo(studio, hub.endpoint);
    await fillTuning(page, { steps: 4, every: 2 });

    // The grid: 4 methods x 1 size (all 6) x 2 seeds; ICL is one run.
    await page.getByRole('tab', { name: 'Experiments' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Experiments' });
    const builder = panel.getByRole('form', { name: 'New experiment' });
    await builder.getByLabel('Experiment name').fill('e2e grid');
    await tickMethods(builder, METHODS.map((m) => m.name));
    await builder.getByLabel('Training-set sizes').fill('all');
    await builder.getByLabel('Seeds').fill(SEEDS.join(', '));
    await expect(builder.getByRole('status')).toHaveText(`${RUNS} runs (${RUNS - 1} train the small model)`);
    await expectNoSeriousViolations(page, 'the Experiments tab, the queue builder filled');
    await builder.getByRole('button', { name: 'Queue' }).click();
    const summary = panel.getByRole('region', { name: 'Queue of e2e grid' }).getByRole('status');
    await expect(summary).toHaveText(`${ITEMS} pending`);

    // Run until the fifth item (FIAT, seed 1) has passed its step-2 checkpoint, then reload.
    await panel.getByRole('button', { name: 'Run the queue' }).click();
    await expect(summary).toHaveText(`1 running, 4 done, ${ITEMS - 5} pending · running`, { timeout: 900_000 });
    // The run store still shows the fourth item's finished run until the fifth's starts: wait for the fifth's own
    // record (the third tuning run) to be the active one with its step-2 loss.
    const fifthRunLosses = async () => {
      const run = await studio.api((api) => api.tuningRun());
      const ids = await studio.api((api) => api.runIds());
      return run?.active && ids.length === 3 && ids.includes(run.runId) ? run.losses.length : 0;
    };
    await expect.poll(fifthRunLosses, { timeout: 600_000, intervals: [1000] }).toBeGreaterThanOrEqual(3);
    await page.reload();

    // The queue comes back stopped, the interrupted run pending; with the model loaded again it resumes.
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await expect(panel.getByText(/^The queue stopped when the page was reloaded\./)).toBeVisible();
    await expect(summary).toHaveText(`4 done, ${ITEMS - 4} pending`);
    await expect(panel.getByText('Load the small model on the Tuning tab to run the queue.')).toBeVisible();
    await loadDemo(studio, hub.endpoint);
    await panel.getByRole('button', { name: 'Resume the queue' }).click();
    await expect(summary).toHaveText(`${ITEMS} done`, { timeout: 1_800_000 });
    // The interrupted run went on (its record), no second run for that cell: one tuning run per trained cell.
    expect((await studio.api((api) => api.runIds())).length).toBe(RUNS - 1);

    // The predictions of every finished run, as the page exports them.
    const exports = panel.getByRole('group', { name: 'Predictions files' });
    await exports.getByLabel('Predictions of').selectOption({ label: 'every finished run (zip)' });
    const downloading = page.waitForEvent('download');
    await exports.getByRole('button', { name: 'Predictions (JSON)' }).click();
    const files = unzipText(await readFile((await (await downloading).path())));
    const runs = [...files].filter(([name]) => name.endsWith('.json')).map(([, text]) => JSON.parse(text) as RunPredictions);
    // One file per run: ICL's two cells share one result, exported once.
    expect(runs).toHaveLength(RUNS);

    // Accuracy and AUC-PR ("supported" is the positive label) of each run from its predictions, averaged over seeds.
    const table = panel.getByRole('table', { name: /^Results: / });
    for (const method of METHODS) {
      const mine = runs.filter((r) => (method.trains ? r.run.startsWith(`${method.name} · seed `) : r.run === `${method.name} (no training)`));
      expect(mine, method.name).toHaveLength(method.trains ? SEEDS.length : 1);
      const accuracies: number[] = [];
      const precisions: number[] = [];
      for (const run of mine) {
        if (method.trains) {
          const metrics = tunedRunMetrics(run);
          accuracies.push(metrics.accuracy);
          precisions.push(metrics.averagePrecision);
        } else {
          expect(run.rows, run.run).toHaveLength(FIAT_VALIDATION_COUNT);
          accuracies.push(run.rows.filter((r) => r.predictedVerbalizer === r.gold).length / run.rows.length);
        }
      }
      const accuracy = await resultCell(table, method.id, 'accuracy');
      expect(accuracy.n, method.name).toBe(mine.length);
      expect(accuracy.mean!, method.name).toBeCloseTo(mean(accuracies), 12);
      expect(accuracy.text, method.name).toMatch(new RegExp(`^${(mean(accuracies) * 100).toFixed(1)}( ± \\d+\\.\\d)? \\(${mine.length}\\)$`));
      const auc = await resultCell(table, method.id, 'auc-pr');
      if (method.trains) expect(auc.mean!, method.name).toBeCloseTo(mean(precisions), 12);
      // ICL's answers are text: no probabilities, so no AUC-PR (as the paper's Table 2).
      else expect(auc.text, method.name).toBe('–');
    }
    await expect(table.locator('tbody tr')).toHaveCount(METHODS.length);

    // The plots: metric over steps for the first four trained runs (each evaluated at steps 0, 2, 4), FIAT's gain over
    // w/o CoT per language (one series of 2 points), and no size plot with one size.
    const steps = panel.getByRole('img', { name: /over steps/i });
    await expect(steps).toHaveAttribute('data-series', '4');
    await expect(steps).toHaveAttribute('data-points', '3');
    const gain = panel.getByRole('img', { name: /gain/i });
    await expect(gain).toHaveAttribute('data-series', '1');
    await expect(gain).toHaveAttribute('data-points', '2');
    await expect(panel.locator('canvas').first()).toBeAttached();
    await expectNoSeriousViolations(page, 'the Experiments tab with its results');
  });
});
