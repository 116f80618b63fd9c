import { expect, test } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';

test.describe('instruction editors', () => {
  test('typing in I_τ updates the I_τ preview at once', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await expect(studio.preview('tau')).not.toContainText('Answer in one word');
    await studio.typeAtEnd('tau', ' Answer in one word');
    await expect(studio.preview('tau')).toContainText('Label: Answer in one word');
    expect(await studio.instruction('tau')).toMatch(/Label: Answer in one word$/);
    // I_β did not change.
    await expect(studio.preview('beta')).not.toContainText('Answer in one word');
  });

  test('the reasoning slot is marked pending until reasoning exists', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await expect(studio.preview('tau').getByRole('note')).toContainText('reasoning pending');
    await expect(studio.preview('tau').getByLabel('I_τ input counts')).toContainText('characters + reasoning');
  });

  test('an unknown variable gets a marker at its position and is shown as written', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.typeAtEnd('tau', ' {{foo');
    await page.keyboard.press('Escape');
    await page.keyboard.type('}}');
    expect(await studio.instruction('tau')).toMatch(/Label: \{\{foo\}\}$/);

    const lines = (await studio.instruction('tau')).split('\n');
    const line = lines.length;
    const column = (lines.at(-1) ?? '').indexOf('{{foo}}') + 1;
    await expect
      .poll(() => studio.api((api) => api.markers('tau')))
      .toEqual([expect.objectContaining({ severity: 'error', startLineNumber: line, startColumn: column, endColumn: column + 7 })]);
    const [marker] = await studio.api((api) => api.markers('tau'));
    expect(marker?.message).toContain('Unknown variable {{foo}}');
    await expect(studio.instructionPanel('tau').locator('.squiggly-error')).toBeVisible();
    await expect(studio.problems('tau')).toContainText(`error · line ${line}, column ${column} Unknown variable {{foo}}`);
    await expect(studio.instructionPanel('tau').getByLabel('1 errors in I_τ')).toBeVisible();
    await expect(studio.preview('tau').locator('mark.slot-invalid')).toHaveText('{{foo}}');
  });

  test('a misplaced variable ({{reasoning}} in I_β) is marked with the reason', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.api((api) => api.setInstruction('beta', 'Q: {{question}}\nR: {{reasoning}}'));
    await expect(studio.problems('beta')).toContainText('error · line 2, column 4 {{reasoning}} is the large model');
    await expect
      .poll(() => studio.api((api) => api.markers('beta')))
      .toEqual([expect.objectContaining({ severity: 'error', startLineNumber: 2, startColumn: 4, endColumn: 17 })]);
  });

  test('variables autocomplete with only those valid in the editor', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.typeAtEnd('tau', ' {{');
    const suggestions = page.locator('.suggest-widget.visible');
    await expect(suggestions).toBeVisible();
    await expect(suggestions.getByRole('option')).toHaveText([/\{\{question\}\}/, /\{\{passage\}\}/, /\{\{answer\}\}/, /\{\{reasoning\}\}/]);
    await page.keyboard.type('pa');
    await expect(suggestions.getByRole('option')).toHaveCount(1);
    await page.keyboard.press('Enter');
    expect(await studio.instruction('tau')).toMatch(/Label: \{\{passage\}\}$/);
  });
});
