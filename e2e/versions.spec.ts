import { expect, test } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';

test('save a version of I_τ, reload, compare it in the diff editor, restore it', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  const first = 'First I_τ: {{question}}\nReasoning: {{reasoning}}\nLabel:';
  await studio.api((api, text) => api.setInstruction('tau', text), first);

  await studio.instructionPanel('tau').getByRole('button', { name: 'Versions…' }).click();
  let dialog = studio.dialog('Versions of I_τ');
  await dialog.getByLabel('Version name').fill('first draft');
  await dialog.getByRole('button', { name: 'Save current I_τ as version' }).click();
  await expect(dialog.getByRole('table', { name: 'Saved versions of I_τ' }).getByRole('rowheader')).toHaveText(['first draft']);
  await dialog.getByRole('button', { name: 'Close' }).click();

  const second = 'Second I_τ: {{question}}\nThink: {{reasoning}}\nLabel:';
  await studio.api((api, text) => api.setInstruction('tau', text), second);
  await studio.flushSave();
  await studio.reload();
  expect(await studio.instruction('tau')).toBe(second);
  await expect(studio.preview('tau')).toContainText('Second I_τ');

  await studio.instructionPanel('tau').getByRole('button', { name: 'Versions…' }).click();
  dialog = studio.dialog('Versions of I_τ');
  await expect(dialog.getByRole('rowheader')).toHaveText(['first draft']);
  await dialog.getByRole('button', { name: 'Compare first draft with current' }).click();
  const diff = dialog.locator('.monaco-diff-editor');
  await expect(diff).toBeVisible();
  await expect(diff.locator('.editor.original')).toContainText('First I_τ');
  await expect(diff.locator('.editor.modified')).toContainText('Second I_τ');
  await expect(diff.locator('.line-delete, .char-delete').first()).toBeVisible();
  await expect(diff.locator('.line-insert, .char-insert').first()).toBeVisible();

  await dialog.getByRole('button', { name: 'Restore first draft' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Restored “first draft” into the I_τ editor.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect(await studio.instruction('tau')).toBe(first);
  await expect(studio.preview('tau')).toContainText('First I_τ');
  await expect(studio.instructionPanel('tau').locator('.view-lines')).toContainText('First I_τ');
});

test('Ctrl+S opens the versions of the editor it is pressed in', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  await studio.instructionPanel('beta').locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+s');
  await expect(studio.dialog('Versions of I_β')).toBeVisible();
  await studio.dialog('Versions of I_β').getByRole('button', { name: 'Close' }).click();

  await studio.instructionPanel('tau').locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+s');
  await expect(studio.dialog('Versions of I_τ')).toBeVisible();
});

test('closing the versions dialog after saving a version (× or Escape) raises no page error', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const studio = new StudioPage(page);
  await studio.goto();
  const dialog = studio.dialog('Versions of I_β');
  const diff = dialog.locator('.monaco-diff-editor');

  await studio.instructionPanel('beta').getByRole('button', { name: 'Versions…' }).click();
  await dialog.getByLabel('Version name').fill('starter');
  await dialog.getByRole('button', { name: 'Save current I_β as version' }).click();
  await expect(diff).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);

  // Opened again, the diff shows the texts anew; Escape closes it.
  await studio.api((api) => api.setInstruction('beta', 'Changed I_β {{question}}'));
  await studio.instructionPanel('beta').getByRole('button', { name: 'Versions…' }).click();
  await expect(diff.locator('.editor.modified')).toContainText('Changed I_β');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // A round trip through the page after both closes, so an error thrown while closing has been reported.
  await studio.instructionPanel('beta').getByRole('button', { name: 'Versions…' }).click();
  await expect(diff).toBeVisible();
  expect(errors).toEqual([]);
});
