import { StudioPage } from './pages/studio-page.ts';
import { expectNoSeriousViolations } from './support/axe.ts';
import { DEMO_REPO, expect, test } from './support/hub-server-fixture.ts';

test.describe('Tuning tab: the training set', () => {
  test('counts, the without-reasoning choice, characters until a small model is loaded, then tokens, cuts and the preview’s token counts', async ({ page, hub }) => {
    test.slow();
    const studio = new StudioPage(page);
    await studio.goto();
    await expect(studio.preview('tau').getByRole('group', { name: 'I_τ input counts' })).toContainText('tokens: load a small model to count them');

    await page.getByRole('tab', { name: 'Tuning' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Tuning' });
    const counts = panel.getByRole('group', { name: 'Training set counts' });
    const summary = panel.getByRole('group', { name: 'Budget summary' });
    // No large model is set up: no example of the sample's 250 train examples has reasoning.
    await expect(counts).toHaveText('0 of 250 train examples used · 250 left out: no reasoning.');
    // An empty training set's length budget says so, with no histogram of empty bins.
    await expect(panel.getByText(/^No example is in the training set, so there are no lengths to show/)).toBeVisible();
    await expect(panel.locator('.histogram')).toHaveCount(0);
    await panel.getByLabel('Train them with an empty {{reasoning}}').check();
    await expect(counts).toHaveText('250 of 250 train examples used · 250 without reasoning, trained with an empty one.');
    await expect(summary).toContainText('Counted in characters');
    // The count settles: nothing starts it again once it is done.
    await expect(panel.locator('.token-budget')).toHaveAttribute('aria-busy', 'false');
    await expect(panel.getByRole('table', { name: /longest examples \(characters\)/ }).getByRole('row')).toHaveCount(11);
    await expectNoSeriousViolations(page, 'the studio, Tuning tab');

    // The demo model (a random-weight Llama with a ChatML template and a BPE tokenizer) from the local Hub.
    const source = JSON.stringify({ endpoint: hub.endpoint, ...DEMO_REPO });
    const label = await studio.api((api, json) => api.loadSmallModel(JSON.parse(json) as { endpoint: string; repo: string; revision: string }), source);
    // 250 examples counted through the worker, the long ones measured again with their passage cut: seconds.
    await expect(summary).toContainText(`Tokens by ${label}`, { timeout: 60_000 });
    await panel.getByLabel('Sequence length (tokens)').selectOption('128');
    // The sample's passages are long: at 128 tokens of the demo tokenizer most examples lose part of theirs.
    await expect(summary).toContainText(/^\d+ of 250 would be cut to fit 128 tokens: passage shortened by \d+ tokens on average; \d+ left out/, { timeout: 60_000 });
    await expect(panel.locator('.token-budget')).toHaveAttribute('aria-busy', 'false');
    const table = panel.getByRole('table', { name: /longest examples \(tokens\)/ });
    await expect(table.getByRole('row').nth(1)).toContainText(/passage −\d+ of \d+ → 12\d|left out: even with no passage/);

    await panel.getByLabel('Method').selectOption('fine-tune');
    await expect(counts).toHaveText('250 of 250 train examples used.');
    await expect(studio.preview('tau').getByRole('group', { name: 'I_τ input counts' })).toContainText(new RegExp(`\\d+ tokens \\(${label}\\)`));
  });
});
