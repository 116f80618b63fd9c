import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';

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
});
