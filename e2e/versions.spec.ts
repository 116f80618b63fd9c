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
