import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';

// An experiment with one finished queue item and that item's result, as fiat/experiments/queue.ts and
// fiat/storage/experiment-repository.ts shape them (written out here, independently of the studio's code).
const ITEM = {
  id: 'fiat|fiat-studio/demo@main|v1|10|0',
  key: 'a'.repeat(64),
  spec: {
    method: 'fiat',
    model: { repo: 'fiat-studio/demo', revision: 'main', label: 'fiat-studio/demo@main' },
    trains: true,
    tunedModel: { repo: 'fiat-studio/demo', revision: 'main', label: 'fiat-studio/demo@main' },
    tau: { label: 'v1', hash: 'b'.repeat(64), text: 'Q {{question}} R {{reasoning}}' },
    size: 10,
    seed: 0,
    dataHash: 'c'.repeat(64),
    settings: { steps: 6 },
  },
  status: 'done',
  force: false,
  runId: 'run-from-file',
};
const EXPERIMENT = { id: 'exp-from-file', taskId: 'sample:xor_attriqa', name: 'FIAT on the demo', createdAt: 1, updatedAt: 2, items: [ITEM] };
const RESULT = {
  key: ITEM.key,
  taskId: 'sample:xor_attriqa',
  runId: 'run-from-file',
  evaluations: [{ step: 6, evaluation: { report: { kind: 'classification', metrics: ['accuracy'], languages: [], overall: { accuracy: 0.5 } }, predictions: [] } }],
  finishedAt: 3,
};

test.describe('project export and import', () => {
  test('export then import round-trips the project', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.api((api) => api.setInstruction('beta', 'Exported I_β {{exemplars}} {{question}}'));
    await page.getByRole('button', { name: 'Use as exemplar' }).click();
    await page.getByRole('tab', { name: /Exemplars/ }).click();
    await page.getByLabel('Reasoning for exemplar 1').fill('The passage gives the birth date, so the answer is supported.');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ja');
    const exported = await studio.api((api) => api.project());

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export project' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^fiat-project-.*\.json$/);
    const text = await readFile(await download.path(), 'utf8');
    const file = JSON.parse(text) as { format: string; schemaVersion: number; project: unknown };
    expect(file).toMatchObject({ format: 'fiat-studio-project', schemaVersion: 6 });
    expect(file.project).toEqual(exported);
    expect(text).not.toMatch(/apiKey|api_key|secret|password|authorization/i);

    await studio.api((api) => api.setInstruction('beta', 'Changed after export {{question}}'));
    await page.getByRole('button', { name: 'Remove exemplar 1' }).click();
    expect(await studio.api((api) => api.project())).not.toEqual(exported);

    await page.getByLabel('Project file to import').setInputFiles({ name: 'project.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    const confirm = studio.dialog('Import project');
    await expect(confirm).toContainText('1 exemplars');
    await confirm.getByRole('button', { name: 'Replace project' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Imported project from project.json.' })).toBeVisible();
    expect(await studio.api((api) => api.project())).toEqual(exported);
    await expect(studio.preview('beta')).toContainText('Exported I_β');
    await expect(page.getByLabel('Reasoning for exemplar 1')).toHaveValue('The passage gives the birth date, so the answer is supported.');

    await studio.flushSave();
    await studio.reload();
    expect(await studio.api((api) => api.project())).toEqual(exported);
  });

  test('a malformed or foreign file gets one message and leaves the project untouched', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.api((api) => api.setInstruction('tau', 'Mine {{question}} {{reasoning}}'));
    const before = await studio.api((api) => api.project());
    const input = page.getByLabel('Project file to import');
    const alert = studio.notice(/Project not imported/);

    await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "fiat-studio-proj') });
    await expect(alert).toHaveText(/Project not imported: This file is not JSON.*Your current project is unchanged\./);
    await input.setInputFiles({ name: 'package.json', mimeType: 'application/json', buffer: Buffer.from('{"name": "something-else"}') });
    await expect(alert).toHaveText(/not a fiat-studio project file/);
    const damaged = JSON.stringify({ format: 'fiat-studio-project', schemaVersion: 1, exportedAt: '', project: { taskId: 3 }, versions: [], datasets: [] });
    await input.setInputFiles({ name: 'damaged.json', mimeType: 'application/json', buffer: Buffer.from(damaged) });
    await expect(alert).toHaveText(/The project file is damaged at project\./);
    await expect(studio.dialog('Import project')).toHaveCount(0);
    expect(await studio.api((api) => api.project())).toEqual(before);
  });

  test('experiments and their results travel in the project file; a damaged experiment is left out with a note naming it', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    type FileJson = Record<string, unknown> & { experiments: unknown[]; experimentResults: unknown[] };
    const exportFile = async (): Promise<FileJson> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export project' }).click()]);
      return JSON.parse(await readFile(await download.path(), 'utf8')) as FileJson;
    };
    const empty = await exportFile();
    expect(empty).toMatchObject({ schemaVersion: 6, experiments: [], experimentResults: [] });

    const broken = { ...EXPERIMENT, id: 'exp-broken', name: 'Broken', items: [{ ...ITEM, status: 'flying' }] };
    const text = JSON.stringify({ ...empty, experiments: [EXPERIMENT, broken], experimentResults: [RESULT] });
    await page.getByLabel('Project file to import').setInputFiles({ name: 'experiments.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    const confirm = studio.dialog('Import project');
    await expect(confirm).toContainText('1 experiments with 1 results');
    await expect(confirm).toContainText('experiment "Broken" (exp-broken) is damaged at items.0.status');
    await confirm.getByRole('button', { name: 'Replace project' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Imported project from experiments.json.' })).toBeVisible();

    // What was imported is in this browser's experiments: the next export carries it, the damaged one not.
    const again = await exportFile();
    expect(again.experiments).toEqual([EXPERIMENT]);
    expect(again.experimentResults).toEqual([RESULT]);
  });
});
