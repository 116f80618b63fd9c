import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { ModelPage } from './pages/model-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { DEMO_REPO, expect, test } from './support/hub-server-fixture.ts';
import { unzipText } from './support/unzip.ts';

/** The Tuning tab of `page` open, as a model page (the panel, its model section). */
async function tuningTab(page: Page): Promise<ModelPage> {
  const model = new ModelPage(new StudioPage(page));
  await model.openTab();
  return model;
}

/** The choices this spec makes, as the tab shows them; `changed` false: the defaults a new project has. */
async function expectChoices(model: ModelPage, changed: boolean): Promise<void> {
  const panel = model.tab();
  await expect(panel.getByLabel('Method')).toHaveValue(changed ? 'distilled-cot' : 'fiat');
  await expect(panel.getByLabel('Sequence length (tokens)')).toHaveValue(changed ? '256' : '512');
  await expect(panel.getByLabel('Steps', { exact: true })).toHaveValue(changed ? '7' : '100');
  await expect(panel.getByLabel('Learning rate')).toHaveValue(changed ? '0.001' : '0.0002');
  // The chosen model comes back as a choice to load, never loaded (or downloaded) by the reload itself.
  await expect(panel.getByRole('radio', { name: changed ? /^A Hub repo/ : /^Demo model/ })).toBeChecked();
  await expect(model.loadButton()).toHaveText(changed ? `Load ${DEMO_REPO.repo}` : 'Load demo model');
  await expect(model.loaded()).toHaveText('No small model is loaded yet.');
}

test.describe('Tuning tab: choices saved with the project', () => {
  test('method, sequence length, steps, learning rate and the model come back after a reload and through an export into a fresh browser', async ({ page, hub, browser }) => {
    test.slow();
    const studio = new StudioPage(page);
    await studio.goto();
    const model = await tuningTab(page);
    await expectChoices(model, false);

    const panel = model.tab();
    await panel.getByLabel('Method').selectOption('distilled-cot');
    await panel.getByLabel('Sequence length (tokens)').selectOption('256');
    await panel.getByLabel('Steps', { exact: true }).fill('7');
    await panel.getByLabel('Learning rate').fill('0.001');
    await model.checkHubRepo(DEMO_REPO.repo, hub.endpoint);
    await expect(model.size()).toBeVisible();
    await expectChoices(model, true);

    await studio.flushSave();
    await studio.reload();
    await expectChoices(await tuningTab(page), true);
    await expect(page.getByRole('tabpanel', { name: 'Tuning' }).getByRole('textbox', { name: 'Repo id' })).toHaveValue(DEMO_REPO.repo);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export project' }).click()]);
    const text = await readFile(await download.path(), 'utf8');

    const fresh = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    try {
      const other = await fresh.newPage();
      const otherStudio = new StudioPage(other);
      await otherStudio.goto();
      await expectChoices(await tuningTab(other), false);
      await other.getByLabel('Project file to import').setInputFiles({ name: 'project.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await otherStudio.dialog('Import project').getByRole('button', { name: 'Replace project' }).click();
      await expect(other.getByRole('status').filter({ hasText: 'Imported project from project.json.' })).toBeVisible();
      await expectChoices(await tuningTab(other), true);
    } finally {
      await fresh.close();
    }
  });

  test('each method says what goes into its input and when I_τ cannot serve it; Export for TRL writes the pairs Train would train', async ({ page, hub }) => {
    test.slow();
    const studio = new StudioPage(page);
    await studio.goto();
    const panel = (await tuningTab(page)).tab();
    const exportButton = panel.getByRole('button', { name: 'Export for TRL' });
    await expect(exportButton).toBeDisabled();
    await expect(panel.getByText(/^Load a small model above: the set is cut/)).toBeVisible();

    await panel.getByLabel('Method').selectOption('distilled-cot');
    await expect(panel.getByText(/^Two pairs per example: I_τ with \{\{reasoning\}\} empty/)).toBeVisible();
    await studio.api((api) => api.setInstruction('tau', 'Question: {{question}}\nPassage: {{passage}}\nAnswer: {{answer}}\nLabel:'));
    const cannot = panel.getByRole('alert').filter({ hasText: 'Distilled CoT cannot use this I_τ' });
    await expect(cannot).toBeVisible();
    await expect(exportButton).toBeDisabled();
    await panel.getByLabel('Method').selectOption('instruction-only');
    await expect(panel.getByText(/^Input: I_τ filled with the example, its \{\{reasoning\}\} left empty/)).toBeVisible();
    await expect(cannot).toHaveCount(0);

    await panel.getByLabel('Sequence length (tokens)').selectOption('128');
    await studio.api((api, json) => api.loadSmallModel(JSON.parse(json) as { endpoint: string; repo: string; revision: string }), JSON.stringify({ endpoint: hub.endpoint, ...DEMO_REPO }));
    await expect(exportButton).toBeEnabled({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toBe('trl-no-cot-demo.zip');
    const files = unzipText(await readFile(await download.path()));
    expect([...files.keys()]).toEqual(['train.jsonl', 'lora_config.json', 'sft_config.json', 'train.py', 'README.txt']);
    const readme = files.get('README.txt') ?? '';
    expect(readme).toContain(`Model: ${DEMO_REPO.repo}@${DEMO_REPO.revision}`);
    expect(readme).toMatch(/^Chat template: /m);
    expect(readme).toContain('\n  pip install trl peft datasets && python train.py\n');
    // The same pairs as Train's, each prompt I_τ as written (its own words; no reasoning slot to fill).
    const lines = (files.get('train.jsonl') ?? '').trimEnd().split('\n').map((l) => JSON.parse(l) as { prompt: string | { content: string }[] });
    await expect(panel.getByRole('button', { name: `Train on ${lines.length.toLocaleString('en-US')} examples` })).toBeVisible();
    for (const { prompt } of lines) expect(typeof prompt === 'string' ? prompt : prompt[0]?.content).toMatch(/^Question: [\s\S]*\nLabel:$/);
    expect(JSON.parse(files.get('sft_config.json') ?? '{}')).toMatchObject({ max_length: 128 });
  });
});
