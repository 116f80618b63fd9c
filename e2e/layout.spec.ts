import { expect, test } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';

test.describe('studio layout and example browser', () => {
  test('three panes, attribution, and a sample task switch', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await expect(page.getByRole('region', { name: 'Example browser' })).toBeVisible();
    await expect(page.getByRole('tablist', { name: 'Editors' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Preview' })).toBeVisible();
    const info = page.getByRole('contentinfo', { name: 'Task information' });
    await expect(info).toContainText('Muller et al.');
    await expect(info).toContainText('CC BY-SA');

    await page.getByText('Template syntax').click();
    const help = page.getByRole('table', { name: 'Template variables' });
    await expect(help.getByRole('row', { name: /\{\{reasoning\}\}/ })).toContainText('I_τ');
    await expect(help.getByRole('row', { name: /\{\{answer\}\}/ })).toContainText('I_β, I_τ');

    await studio.taskPicker().selectOption({ label: 'XOR-TyDi QA (cross-lingual QA)' });
    await expect(help.getByRole('row', { name: /\{\{answer\}\}/ })).toContainText('neither');
    await expect(studio.exampleCount()).toHaveText('2,372 of 2,372 examples');
    await expect(info).toContainText('Asai et al.');
    await expect(info).toContainText('MIT');
    // A task chosen for the first time starts from its kind's starter instructions.
    expect(await studio.instruction('tau')).toContain('Answer:');
    expect(await studio.instruction('tau')).not.toContain('{{answer}}');
  });

  test('filter by split, language and label, search, and move the selection with the keyboard', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await expect(studio.exampleCount()).toHaveText('750 of 750 examples');
    await page.getByRole('combobox', { name: 'Split' }).selectOption('validation');
    await expect(studio.exampleCount()).toHaveText('500 of 750 examples');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ja');
    await expect(studio.exampleCount()).toHaveText('100 of 750 examples');
    await page.getByRole('combobox', { name: 'Label' }).selectOption({ label: 'supported' });
    const supported = await studio.exampleCount().textContent();
    expect(Number(supported?.split(' ')[0])).toBeGreaterThan(0);
    await page.getByRole('combobox', { name: 'Label' }).selectOption('all');
    await page.getByRole('searchbox', { name: 'Search examples' }).fill('xor_attriqa-validation-0030');
    await expect(studio.exampleCount()).toHaveText(/^\d+ of 750 examples$/);
    await page.getByRole('searchbox', { name: 'Search examples' }).fill('');

    const list = studio.examples();
    await list.getByRole('option').first().click();
    const firstId = (await studio.api((api) => api.project())).settings.selectedExampleId;
    const firstPreview = await studio.preview('tau').textContent();
    await list.press('ArrowDown');
    await expect(list.getByRole('option', { selected: true })).toHaveCount(1);
    const secondId = (await studio.api((api) => api.project())).settings.selectedExampleId;
    expect(secondId).not.toBe(firstId);
    await expect(studio.preview('tau')).not.toHaveText(firstPreview ?? '');
  });
});

test.describe('layout at 1280x720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the filter row fits its pane and the label badges stay on one line', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const filters = page.getByRole('search', { name: 'Filter examples' });
    const pane = await page.getByRole('region', { name: 'Example browser' }).boundingBox();
    expect(pane).not.toBeNull();
    for (const name of ['Split', 'Language', 'Label']) {
      const select = filters.getByRole('combobox', { name });
      const box = await select.boundingBox();
      expect(box, name).not.toBeNull();
      expect(box && pane && box.x + box.width <= pane.x + pane.width, `${name} ends inside the pane`).toBe(true);
      // Not squeezed either: as wide as its longest option (a copy outside the row tells how wide that is).
      const [shown, needed] = await select.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLSelectElement;
        copy.style.cssText = 'position: absolute; width: auto; min-width: 0; max-width: none';
        document.body.append(copy);
        const widths = [el.getBoundingClientRect().width, copy.getBoundingClientRect().width];
        copy.remove();
        return widths;
      });
      expect(shown, `${name} shows its longest option whole`).toBeGreaterThanOrEqual((needed ?? 0) - 0.5);
    }
    expect(await filters.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the filter row does not overflow').toBe(true);

    // "not supported" is the longest label name of the sample tasks.
    await filters.getByRole('combobox', { name: 'Label' }).selectOption({ label: 'not supported' });
    const badges = studio.examples().getByRole('option').getByText('not supported', { exact: true });
    await expect(badges.first()).toBeVisible();
    const lines = await badges.evaluateAll((els) =>
      els.map((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }),
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((n) => n === 1), `lines per badge: ${lines.join(', ')}`).toBe(true);
  });

  test("every dialog's close button is at least 24x24 px", async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const open: [string, () => Promise<void>][] = [
      ['Import a dataset', () => page.getByRole('button', { name: 'Import dataset…' }).click()],
      ['Versions of I_β', () => studio.instructionPanel('beta').getByRole('button', { name: 'Versions…' }).click()],
    ];
    for (const [title, opener] of open) {
      await opener();
      const close = studio.dialog(title).getByRole('button', { name: 'Close' });
      const box = await close.boundingBox();
      expect(box && box.width >= 24 && box.height >= 24, `${title}: ${JSON.stringify(box)}`).toBe(true);
      await close.click();
      await expect(studio.dialog(title)).toHaveCount(0);
    }
  });
});
