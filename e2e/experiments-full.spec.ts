import { readFile } from 'node:fs/promises';
import { StudioPage } from './pages/studio-page.ts';
import { importFiatDataset } from './support/fiat-dataset.ts';
import { expect, test } from './support/hub-server-fixture.ts';
import { fillTuning, loadDemo, resultCell, type RunPredictions, tickMethods, tunedRunMetrics } from './support/experiment-steps.ts';
import { readSafetensors } from './support/safetensors.ts';
import { unzipFiles, unzipText } from './support/unzip.ts';

/**
 * Issue 20's ablation without parameter-efficient tuning in Chromium: every weight of the demo model (from the local
 * Hub) trained on WebGPU (SwiftShader: 2 steps of batch 2 at 128 tokens, evaluated at steps 0 and 2). The builder
 * offers it once the engine's memory estimate of training all weights fits; the results table's row equals the
 * metrics this file computes from the exported predictions; the run's export is the tuned model, not an adapter:
 * config.json + model.safetensors holding every tensor of the demo model's checkpoint (names, shapes), trained.
 */

const METHOD = { name: 'w/o Parameter-efficient tuning', id: 'no-peft' } as const;

test.describe('Experiments tab, all weights', () => {
  test('w/o Parameter-efficient tuning: offered, run, its row = metrics of its predictions, its export the tuned model', async ({ page, hub }) => {
    test.setTimeout(600_000);
    const studio = new StudioPage(page);
    await studio.goto();
    await importFiatDataset(studio);
    await loadDemo(studio, hub.endpoint);
    await fillTuning(page, { steps: 2, every: 2 });

    await page.getByRole('tab', { name: 'Experiments' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Experiments' });
    const builder = panel.getByRole('form', { name: 'New experiment' });
    // Enabled once the engine's estimate of training all weights says it fits.
    await expect(builder.getByRole('checkbox', { name: METHOD.name, exact: true })).toBeEnabled({ timeout: 60_000 });
    await builder.getByLabel('Experiment name').fill('e2e all weights');
    await tickMethods(builder, [METHOD.name]);
    await builder.getByLabel('Training-set sizes').fill('all');
    await builder.getByLabel('Seeds').fill('1');
    await expect(builder.getByRole('status')).toHaveText('1 run (1 trains the small model)');
    await builder.getByRole('button', { name: 'Queue' }).click();
    const summary = panel.getByRole('region', { name: 'Queue of e2e all weights' }).getByRole('status');
    await expect(summary).toHaveText('1 pending');
    await panel.getByRole('button', { name: 'Run the queue' }).click();
    await expect(summary).toHaveText(/^1 (done|failed|cancelled)$/, { timeout: 480_000 });
    // A run that ended otherwise says why in its row.
    const runsTable = panel.getByRole('table', { name: 'Runs of e2e all weights' });
    expect(await summary.textContent(), (await runsTable.locator('tbody tr').first().textContent()) ?? '').toBe('1 done');

    // The table's row against the metrics of the run's exported predictions.
    const predictions = panel.getByRole('group', { name: 'Predictions files' });
    await predictions.getByLabel('Predictions of').selectOption({ label: 'every finished run (zip)' });
    const downloadingPredictions = page.waitForEvent('download');
    await predictions.getByRole('button', { name: 'Predictions (JSON)' }).click();
    const files = unzipText(await readFile(await (await downloadingPredictions).path()));
    const runs = [...files].filter(([name]) => name.endsWith('.json')).map(([, text]) => JSON.parse(text) as RunPredictions);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.run.startsWith(`${METHOD.name} · seed 1 · `), runs[0]!.run).toBe(true);
    const metrics = tunedRunMetrics(runs[0]!);
    const table = panel.getByRole('table', { name: /^Results: / });
    await expect(table.locator('tbody tr')).toHaveCount(1);
    const accuracy = await resultCell(table, METHOD.id, 'accuracy');
    expect(accuracy.n).toBe(1);
    expect(accuracy.mean!).toBeCloseTo(metrics.accuracy, 12);
    expect(accuracy.text).toBe(`${(metrics.accuracy * 100).toFixed(1)} (1)`);
    expect((await resultCell(table, METHOD.id, 'auc-pr')).mean!).toBeCloseTo(metrics.averagePrecision, 12);

    // Its export is the tuned model: every tensor of the demo checkpoint, same names and shapes, trained.
    const weights = panel.getByRole('group', { name: 'Adapter or tuned model export' });
    const downloadingModel = page.waitForEvent('download');
    await weights.getByRole('button', { name: 'Tuned model (zip)' }).click();
    const download = await downloadingModel;
    expect(download.suggestedFilename()).toMatch(/-model\.zip$/);
    const model = unzipFiles(await readFile(await download.path()));
    expect([...model.keys()].sort()).toEqual(['config.json', 'model.safetensors']);
    expect(JSON.parse(model.get('config.json')!.toString('utf8'))).toEqual(JSON.parse(await readFile('public/models/demo/config.json', 'utf8')));
    const tuned = readSafetensors(model.get('model.safetensors')!);
    const demo = readSafetensors(await readFile('public/models/demo/model.safetensors'));
    expect([...tuned.keys()].sort()).toEqual([...demo.keys()].sort());
    for (const [name, base] of demo) {
      const after = tuned.get(name)!;
      expect(after.shape, name).toEqual(base.shape);
      expect(after.values.every(Number.isFinite), name).toBe(true);
      expect(after.values.some((v, i) => v !== base.values[i]), `${name} was trained`).toBe(true);
    }

    // The Tuning tab shows the run: no PEFT adapter to export there, the tuned model instead.
    await page.getByRole('tab', { name: 'Tuning' }).click();
    const adapter = page.getByRole('tabpanel', { name: 'Tuning' }).getByRole('region', { name: 'Adapter (PEFT)' });
    await expect(adapter.getByRole('group', { name: 'Tuned model' })).toContainText('trained all weights');
    await expect(adapter.getByRole('button', { name: 'Download the tuned model (zip)' })).toBeVisible();
    await expect(adapter.getByRole('button', { name: 'Export the tuned adapter' })).toHaveCount(0);
  });
});
