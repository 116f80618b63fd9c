import { expect, test } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';

test('exemplars render into I_β for their language, never in their own prompt', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto();
  const options = studio.examples().getByRole('option');
  await options.nth(0).click();
  await page.getByRole('button', { name: 'Use as exemplar' }).click();
  await page.getByRole('tab', { name: 'Exemplars (1)' }).click();
  const reasoning = 'The passage states the birth date given in the answer.';
  await page.getByLabel('Reasoning for exemplar 1').fill(reasoning);
  await expect(page.getByRole('combobox', { name: 'Used for' })).toHaveValue('bn');

  // The exemplar's own example does not show it.
  const beta = studio.preview('beta');
  await expect(beta).not.toContainText(reasoning);
  await expect(beta.getByRole('note')).toContainText('{{exemplars}} is empty');

  // Another Bengali example shows it, in the fixed format, label as its verbalizer.
  await options.nth(1).click();
  await expect(beta).toContainText(`Reasoning: ${reasoning}\nLabel: supported`);
  const exemplarBlock = beta.locator('mark.slot-exemplars');
  await expect(exemplarBlock).toContainText('Question: ');

  // Scoped to Japanese questions, it leaves Bengali prompts.
  await page.getByRole('combobox', { name: 'Used for' }).selectOption('ja');
  await expect(beta).not.toContainText(reasoning);
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ja');
  await options.first().click();
  await expect(beta).toContainText(reasoning);

  // For every language: shown again for Bengali.
  await page.getByRole('combobox', { name: 'Used for' }).selectOption({ label: 'every language' });
  await page.getByRole('combobox', { name: 'Language' }).selectOption('bn');
  await options.nth(2).click();
  await expect(beta).toContainText(reasoning);
});
