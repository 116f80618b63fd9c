import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { ModelPage } from './pages/model-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { DEMO_REPO, expect, test } from './support/hub-server-fixture.ts';

/** The Tuning tab of `page` open, as a model page (the panel, its model section). */
async function tuningTab(page: Page): Promise<ModelPage> {
  const model = new ModelPage(new StudioPage(page));
  await model.openTab();
  return model;
}

/** The choices this spec makes, as the tab shows them; `changed` false: the defaults a new project has. */
async function expectChoices(model: ModelPage, changed: boolean): Promise<void> {
  const panel = model.tab();
  await expect(panel.getByLabel('Method')).toHaveValue(changed ? 'fine-tune' : 'fiat');
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
    await panel.getByLabel('Method').selectOption('fine-tune');
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
});
