import { expect, test } from '@playwright/test';
import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { countEngineRequests, engineRequests } from './support/engine-requests.ts';
import { importTinyDataset } from './support/tiny-dataset.ts';

// The demo model's weights are random: greedy decoding repeats one token until max tokens, so every reasoning would
// be truncated (finish: length) and never count as ŷ_β. Sampling with a seed and a stop sequence that random tokens
// soon contain ('c' is in about 8% of the demo tokenizer's tokens) gives finished reasonings of a few tokens.
const DEMO_SETTINGS = { temperature: '1', seed: '0', stop: 'c', maxTokens: '128' };

test.describe('in-browser reasoning provider', () => {
  test('the demo model writes the preview’s reasoning and a small batch’s in this browser; after a reload both come from the cache with no generation', async ({ page }) => {
    test.setTimeout(240_000);
    await countEngineRequests(page);
    const studio = new StudioPage(page);
    await studio.goto();
    await importTinyDataset(studio);
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpInBrowserProvider(DEMO_SETTINGS);
    await expect(reasoning.tab().getByLabel('Provider')).toContainText('In-browser (demo model, random weights) runs in this browser');
    await expect(reasoning.tab().getByLabel('Provider')).toContainText('its reasoning is gibberish');
    // Nothing starts (no worker, no load) until a reasoning is asked for.
    expect(await engineRequests(page)).toEqual({});

    await studio.api((api) => api.selectExample('ex-a'));
    await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
    await expect(reasoning.cardStats()).toHaveText(/^Latency [\d.]+ m?s · first token [\d.]+ m?s · \d+ prompt \+ \d+ completion tokens · finish: stop$/, { timeout: 120_000 });
    const previewText = (await reasoning.cardText().textContent()) ?? '';
    expect(previewText.trim()).not.toBe('');
    await expect(studio.preview('tau')).toContainText(previewText);
    expect(await engineRequests(page)).toEqual({ load: 1, generate: 1 });

    // A small batch: the preview's reasoning is cached; the three others are generated on the model already loaded.
    await reasoning.scope().selectOption({ label: 'the train split (4)' });
    await expect(reasoning.plan()).toHaveText(/^1 cached \/ 3 to generate/);
    await reasoning.startButton().click();
    await expect(reasoning.result()).toHaveText('Finished: every example has its reasoning.', { timeout: 120_000 });
    await expect(reasoning.counts()).toContainText('4 of 4 done (1 cached, 3 generated) · 0 failed');
    expect(await engineRequests(page)).toEqual({ load: 1, generate: 4 });
    expect(await studio.api((api) => api.reasoningCacheCount())).toBe(4);

    // After a reload: the preview and the batch read the cache; the engine is not even started.
    await studio.flushSave();
    await studio.reload();
    await studio.api((api) => api.selectExample('ex-a'));
    await expect(reasoning.cardStats()).toContainText('From the cache');
    await expect(reasoning.cardText()).toHaveText(previewText);
    await reasoning.openTab();
    await expect(reasoning.plan()).toHaveText('4 cached / 0 to generate');
    await reasoning.startButton().click();
    await expect(reasoning.result()).toHaveText('Finished: every example has its reasoning.');
    await expect(reasoning.counts()).toContainText('4 of 4 done (4 cached, 0 generated)');
    expect(await engineRequests(page)).toEqual({});
  });
});
