import { readFile } from 'node:fs/promises';
import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { expectNoSeriousViolations } from './support/axe.ts';
import { expect, E2E_API_KEY, test } from './support/openai-server-fixture.ts';
import { importTinyDataset } from './support/tiny-dataset.ts';

/** The open modal dialog: axe looks at it alone (the page behind it is inert). */
const OPEN_DIALOG = 'dialog[open]';

test.describe('accessibility (axe-core: no serious or critical violations)', () => {
  // Each axe run reads the whole page: on a loaded machine a few of them take longer than one test's default budget.
  test.slow();

  test('the studio on each middle tab', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await page.getByRole('button', { name: 'Use as exemplar' }).click();
    await expectNoSeriousViolations(page, 'the studio, Instructions tab');

    await page.getByRole('tab', { name: /Exemplars/ }).click();
    await expect(page.getByLabel('Reasoning for exemplar 1')).toBeVisible();
    await expectNoSeriousViolations(page, 'the studio, Exemplars tab');

    const reasoning = new ReasoningPage(studio);
    await reasoning.openTab();
    await expectNoSeriousViolations(page, 'the studio, Reasoning tab without a provider');
  });

  test('the versions and import dialogs', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.instructionPanel('tau').getByRole('button', { name: 'Versions…' }).click();
    const versions = studio.dialog('Versions of I_τ');
    await versions.getByLabel('Version name').fill('first draft');
    await versions.getByRole('button', { name: 'Save current I_τ as version' }).click();
    await versions.getByRole('button', { name: 'Compare first draft with current' }).click();
    await expect(versions.locator('.monaco-diff-editor')).toBeVisible();
    await expectNoSeriousViolations(page, 'the versions dialog', OPEN_DIALOG);
    await versions.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Import dataset…' }).click();
    const importDialog = studio.dialog('Import a dataset');
    await expect(importDialog.getByLabel(/Dataset file/)).toBeVisible();
    await expectNoSeriousViolations(page, 'the import dialog, file step', OPEN_DIALOG);
    const jsonl = ['{"id":"a","question":"Q1?","passage":"P1.","answer":"A1","label":1}', '{"id":"b","question":"Q2?","passage":"P2.","answer":"A2","label":0}'].join('\n');
    await importDialog.getByLabel(/Dataset file/).setInputFiles({ name: 'judged.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl) });
    await expect(importDialog.getByRole('form', { name: 'Map fields' })).toBeVisible();
    await expectNoSeriousViolations(page, 'the import dialog, mapping step', OPEN_DIALOG);
  });

  test('the confirm dialogs', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await importTinyDataset(studio);

    await page.getByRole('button', { name: 'Delete this dataset…' }).click();
    await expect(studio.dialog('Delete dataset')).toBeVisible();
    await expectNoSeriousViolations(page, 'the delete-dataset confirm dialog', OPEN_DIALOG);
    await studio.dialog('Delete dataset').getByRole('button', { name: 'Cancel' }).click();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export project' }).click()]);
    const project = await readFile(await download.path());
    await page.getByLabel('Project file to import').setInputFiles({ name: 'project.json', mimeType: 'application/json', buffer: project });
    await expect(studio.dialog('Import project')).toBeVisible();
    await expectNoSeriousViolations(page, 'the import-project confirm dialog', OPEN_DIALOG);
  });

  test('the Reasoning tab with a batch done, the provider dialog, the cache dialog, and a batch waiting to retry', async ({ page, openaiServer }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await importTinyDataset(studio);
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
    await reasoning.scope().selectOption({ label: 'the train split (4)' });
    await reasoning.runBatch();
    await expect(reasoning.exampleRow('ex-a')).toContainText('✓ agrees');
    await expect(reasoning.cardText()).toBeVisible();
    await expectNoSeriousViolations(page, 'the studio, Reasoning tab after a batch');

    await reasoning.tab().getByRole('button', { name: 'Provider settings…' }).click();
    await reasoning.providerDialog().getByRole('button', { name: 'Test connection' }).click();
    await expect(reasoning.providerDialog().getByRole('status')).toBeVisible();
    await expectNoSeriousViolations(page, 'the provider dialog', OPEN_DIALOG);
    // The in-browser preset's form (the model choice, no key), with a Hub model's fields: nothing is loaded.
    await reasoning.providerDialog().getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'In-browser (small model on this device)' });
    await reasoning.providerDialog().getByRole('radio', { name: /^A model from the Hugging Face Hub/ }).check();
    await expect(reasoning.providerDialog().getByRole('combobox', { name: 'Hub repo' })).toBeVisible();
    await expectNoSeriousViolations(page, 'the provider dialog, in-browser preset', OPEN_DIALOG);
    await reasoning.providerDialog().getByRole('button', { name: 'Cancel' }).click();

    await reasoning.tab().getByRole('button', { name: 'Inspect cache…' }).click();
    const cache = studio.dialog('Reasoning cache');
    await cache.getByRole('list', { name: 'Cached reasonings' }).locator('summary').first().click();
    await cache.getByRole('button', { name: 'Clear all…' }).click();
    await expect(cache.getByRole('alertdialog', { name: 'Confirm clearing' })).toBeVisible();
    await expectNoSeriousViolations(page, 'the cache dialog', OPEN_DIALOG);
    await cache.getByRole('button', { name: 'Close' }).click();

    // A batch waiting out a server's Retry-After (a minute, so the page holds still while axe reads it).
    await reasoning.scope().selectOption({ label: 'all splits (5)' });
    openaiServer.enqueueFor('[ex-e]', { kind: 'rate-limit', retryAfter: '60' });
    await reasoning.startButton().click();
    await expect(reasoning.tab().getByLabel('Last retry')).toBeVisible();
    await expectNoSeriousViolations(page, 'the Reasoning tab while a batch waits to retry');
    await reasoning.tab().getByRole('button', { name: 'Cancel' }).click();
    await expect(reasoning.result()).toBeVisible();
  });
});
