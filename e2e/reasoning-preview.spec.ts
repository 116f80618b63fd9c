import { reasoningText } from '../test/support/openai-server.ts';
import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { expect, E2E_API_KEY, test } from './support/openai-server-fixture.ts';

test.describe('reasoning preview', () => {
  test('streams the selected example’s reasoning, then shows latency and tokens; I_τ fills from the cache; Stop keeps nothing', async ({ page, openaiServer }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const reasoning = new ReasoningPage(studio);
    await expect(reasoning.card()).toContainText('No large model is set up.');
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
    openaiServer.configure({ chunkDelayMs: 60 });
    // What the I_β card shows as the prompt (its notes about empty slots are not part of the text).
    const betaPrompt = await studio.preview('beta').locator('pre').evaluate((pre) => {
      const copy = pre.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('[role="note"]').forEach((n) => n.remove());
      return copy.textContent ?? '';
    });

    await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
    await expect.poll(async () => (await reasoning.cardSnapshot()).length).toBeGreaterThan(0);
    const early = await reasoning.cardSnapshot();
    expect(early.streaming).toBe(true);
    await expect(reasoning.cardStats()).toHaveText(/^Latency [\d.]+ m?s · first token [\d.]+ m?s · \d+ prompt \+ \d+ completion tokens · finish: stop$/);
    const text = (await reasoning.cardText().textContent()) ?? '';
    expect(text.length).toBeGreaterThan(early.length);
    // Exactly the rendered I_β prompt was sent, once; the text is the server's reasoning for it.
    expect(openaiServer.requests.map((r) => r.prompt)).toEqual([betaPrompt]);
    expect(text).toBe(reasoningText(betaPrompt, 'yes'));
    // "yes" is one of the sample task's answer synonyms of supported.
    await expect(reasoning.card().getByLabel('Parsed answer')).toHaveText('Parsed answer “yes”: agrees with gold (supported).');
    await expect(studio.preview('tau').getByRole('note')).toHaveCount(0);
    await expect(studio.preview('tau')).toContainText(text);

    // After a reload the reasoning comes from the cache: nothing is sent.
    openaiServer.reset();
    await studio.flushSave();
    await studio.reload();
    await expect(reasoning.cardStats()).toContainText('From the cache');
    await expect(reasoning.cardText()).toHaveText(text);
    await expect(studio.preview('tau')).toContainText(text);
    expect(openaiServer.stats().chatRequests).toBe(0);

    // Stop: the stream ends, nothing is cached, I_τ's slot stays pending.
    openaiServer.configure({ chunkDelayMs: 150 });
    const [, second] = await studio.api((api) => api.exampleIds(2));
    await studio.api((api, id) => api.selectExample(id), second);
    await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
    await expect.poll(async () => (await reasoning.cardSnapshot()).length).toBeGreaterThan(0);
    await reasoning.card().getByRole('button', { name: 'Stop' }).click();
    await expect(reasoning.cardStats()).toHaveText(/^Stopped after \d+ characters; nothing was cached\.$/);
    await expect(studio.preview('tau').getByRole('note')).toContainText('reasoning pending');
    expect(await studio.api((api) => api.reasoningCacheCount())).toBe(1);
  });

  test('an I_β with a template error is never sent: the card says why and points at the editor', async ({ page, openaiServer }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
    await studio.api((api) => api.setInstruction('beta', 'Question: {{question}}\nCheck {{bogus}} now.'));
    await expect(reasoning.card().getByRole('alert')).toHaveText(
      /^I_β has a template error, so nothing is sent until it is fixed\. First: line 2, column 7: Unknown variable \{\{bogus\}\}/,
    );
    await expect(reasoning.card().getByRole('button', { name: 'Generate reasoning' })).toHaveCount(0);
    await expect(reasoning.plan()).toContainText('I_β has template errors');
    await expect(reasoning.startButton()).toBeDisabled();

    await reasoning.card().getByRole('button', { name: 'Show in the I_β editor' }).click();
    await expect(page.getByRole('tab', { name: 'Instructions' })).toHaveAttribute('aria-selected', 'true');
    await expect(studio.editor('beta')).toBeFocused();
    await page.keyboard.type('X');
    await expect.poll(() => studio.instruction('beta')).toBe('Question: {{question}}\nCheck X{{bogus}} now.');
    expect(openaiServer.stats().chatRequests).toBe(0);
  });
});
