import type { Page } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';
import { DEMO_REPO, expect, test } from './support/hub-server-fixture.ts';

/**
 * The Tuning tab's Evaluate section on the demo model (random weights: the numbers mean nothing, the counts do): the
 * base model on a first-N sample of validation (4), its metrics and predictions shown and kept; then a stored run with a
 * checkpoint, reopened after a reload (no training prepared in the engine), evaluated on train with the adapter of
 * its checkpoint, named by its step.
 */
async function setUp(page: Page, endpoint: string): Promise<void> {
  await page.getByRole('tab', { name: 'Tuning' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Tuning' });
  await new StudioPage(page).api((api, json) => api.loadSmallModel(JSON.parse(json) as { endpoint: string; repo: string; revision: string }), JSON.stringify({ endpoint, ...DEMO_REPO }));
  // Plain fine-tuning needs no reasoning, so every example can be evaluated.
  await panel.getByLabel('Method').selectOption('fine-tune');
  // Short prompts: SwiftShader runs WebGPU 50-80x slower than a GPU.
  await panel.getByLabel('Sequence length (tokens)').selectOption('128');
}

async function evaluateSample(page: Page, split: string, count: number): Promise<void> {
  const section = page.getByRole('region', { name: 'Evaluate' });
  await section.getByLabel('Split', { exact: true }).selectOption(split);
  await section.getByLabel('Examples', { exact: true }).selectOption('first');
  await section.getByLabel('N', { exact: true }).fill(String(count));
  const button = section.getByRole('button', { name: `Evaluate ${count} examples` });
  await expect(button).toBeEnabled({ timeout: 120_000 });
  await button.click();
}

test.describe('Tuning tab: evaluate', () => {
  test('the base model on a validation sample, then a stored run’s checkpoint on train after a reload', async ({ page, hub }) => {
    test.setTimeout(600_000);
    const studio = new StudioPage(page);
    await studio.goto();
    await setUp(page, hub.endpoint);
    const panel = page.getByRole('tabpanel', { name: 'Tuning' });
    const section = panel.getByRole('region', { name: 'Evaluate' });
    await expect(section.getByLabel('Model state')).toHaveValue('base');

    await evaluateSample(page, 'validation', 4);
    const base = panel.getByRole('table', { name: 'Metrics of the base model (no adapter) on validation (first 4)' });
    await expect(base.getByRole('row', { name: /^Overall/ })).toContainText(/\d of 4 right/, { timeout: 300_000 });
    await expect(base.getByRole('row', { name: /^Macro average/ })).toBeVisible();
    await expect(panel.getByRole('group', { name: 'Prediction filters' })).toContainText('4 of 4 predictions');
    await expect(panel.getByRole('list', { name: 'Predictions' }).getByRole('button').first()).toContainText(/predicted .* · gold/);
    // Kept where it can be found again: the runs list's record of evaluations without a run.
    const runs = panel.getByRole('table', { name: 'Saved runs' });
    await expect(runs.getByRole('row', { name: /no run: base model and imported adapters/ })).toContainText('(the base model (no adapter) on validation (first 4))');

    // A stored run of the task with a checkpoint at step 3 (the record says it ran 4 steps: what is evaluated is the checkpoint).
    await studio.api((api) => api.seedRun('seeded-run-1', 4));
    expect(await studio.api((api) => api.seedCheckpoint('seeded-run-1', 3))).toBe(3);
    await studio.reload();
    await setUp(page, hub.endpoint);
    await runs.getByRole('button', { name: 'Reopen run seeded-run-1' }).click();
    await expect(section.getByLabel('Model state')).toHaveValue('run');
    await evaluateSample(page, 'train', 3);
    const tuned = panel.getByRole('table', { name: "Metrics of the run's adapter at step 3 on train (first 3)" });
    await expect(tuned.getByRole('row', { name: /^Overall/ })).toContainText(/\d of 3 right/, { timeout: 300_000 });
    await expect(panel.getByRole('group', { name: 'Prediction filters' })).toContainText('3 of 3 predictions');
    // Saved with the run, beside its own evaluation, and still there after another reload.
    const choice = panel.getByRole('combobox', { name: 'Evaluation', exact: true });
    await expect(choice.locator('option')).toHaveText(['step 4', "the run's adapter at step 3 on train (first 3)"]);
    await studio.reload();
    await page.getByRole('tab', { name: 'Tuning' }).click();
    await runs.getByRole('button', { name: 'Reopen run seeded-run-1' }).click();
    await panel.getByRole('combobox', { name: 'Evaluation', exact: true }).selectOption({ label: "the run's adapter at step 3 on train (first 3)" });
    await expect(tuned.getByRole('row', { name: /^Overall/ })).toContainText(/\d of 3 right/);
  });
});
