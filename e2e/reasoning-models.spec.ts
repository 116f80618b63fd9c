import { reasoningModelText, type ReasoningField } from '../test/support/openai-server.ts';
import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { expect, E2E_API_KEY, test } from './support/openai-server-fixture.ts';
import { importTinyDataset } from './support/tiny-dataset.ts';

// Reasoning models send their chain of thought apart from the final answer; generations cut at max
// tokens or empty are kept and shown as truncated, never used as ŷ_β.

/** What the I_β card shows as the prompt (its notes about empty slots are not part of the text). */
async function betaPrompt(studio: StudioPage): Promise<string> {
  return studio.preview('beta').locator('pre').evaluate((pre) => {
    const copy = pre.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('[role="note"]').forEach((n) => n.remove());
    return copy.textContent ?? '';
  });
}

const forms: { field: ReasoningField; streaming: boolean }[] = [
  { field: 'reasoning_content', streaming: true },
  { field: 'reasoning', streaming: true },
  { field: 'reasoning_content', streaming: false },
  { field: 'reasoning', streaming: false },
];

test.describe('reasoning models', () => {
  for (const { field, streaming } of forms) {
    test(`${streaming ? 'delta' : 'message'}.${field}: the preview shows reasoning and final answer apart; ŷ_β is both; the answer is read from the final answer`, async ({ page, openaiServer }) => {
      const studio = new StudioPage(page);
      await studio.goto();
      await importTinyDataset(studio);
      const reasoning = new ReasoningPage(studio);
      await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY, streaming });
      openaiServer.configure({ reasoningField: field, chunkDelayMs: streaming ? 40 : 0 });
      await studio.api((api) => api.selectExample('ex-a'));
      const prompt = await betaPrompt(studio);
      const expected = reasoningModelText(prompt, 'supported');

      await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
      if (streaming) {
        // The reasoning streams in first, while the final answer has not begun.
        await expect(reasoning.cardText()).toContainText('Reasoning for prompt');
        await expect(reasoning.cardAnswerText()).toHaveText('');
      }
      await expect(reasoning.cardStats()).toHaveText(
        new RegExp(`^Latency [\\d.]+ m?s · first token [\\d.]+ m?s · \\d+ prompt \\+ \\d+ completion tokens \\(${expected.reasoning.split(' ').length} of them reasoning\\) · finish: stop$`),
      );
      await expect(reasoning.cardText()).toHaveText(expected.reasoning);
      await expect(reasoning.cardAnswerText()).toHaveText(expected.content);
      await expect(reasoning.card().getByLabel('Parsed answer')).toHaveText('Parsed answer “supported”: agrees with gold (supported).');
      // {{reasoning}} is the reasoning followed by the final answer.
      await expect(studio.preview('tau').getByRole('note')).toHaveCount(0);
      await expect(studio.preview('tau').locator('pre')).toContainText(`${expected.reasoning}\n\n${expected.content}`);
      expect(openaiServer.requests.map((r) => r.stream)).toEqual([streaming]);
    });
  }

  test('a reasoning that stops at max tokens is shown as truncated (length), fills nothing, and a larger max tokens redoes it', async ({ page, openaiServer }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await importTinyDataset(studio);
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY, maxTokens: '6' });
    openaiServer.configure({ reasoningField: 'reasoning_content' });
    await studio.api((api) => api.selectExample('ex-a'));

    await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
    await expect(reasoning.cardTruncated()).toHaveText(/^Truncated \(length\): the model stopped at max tokens \(6\)\./);
    await expect(reasoning.cardStats()).toContainText('finish: length');
    await expect(reasoning.cardText()).toHaveText(/^Reasoning for prompt [0-9a-f]{12}: the prompt$/);
    await expect(reasoning.card().getByLabel('Parsed answer')).toHaveCount(0);
    await expect(studio.preview('tau').getByRole('note')).toContainText('reasoning pending');
    // Kept in the cache as truncated: after a reload the card shows it again, and the plan counts it apart.
    await studio.flushSave();
    await studio.reload();
    await expect(reasoning.cardTruncated()).toContainText('Truncated (length)');
    await expect(reasoning.card().getByRole('button', { name: 'Generate reasoning' })).toBeVisible();
    await reasoning.openTab();
    await reasoning.scope().selectOption({ label: 'the train split (4)' });
    await expect(reasoning.plan()).toHaveText(/^0 cached \/ 4 to generate \/ 1 truncated \(stopped at max tokens or empty: generated again\)/);
    await expect(reasoning.exampleRow('ex-a')).toContainText('… truncated');
    await reasoning.tab().getByRole('button', { name: 'Inspect cache…' }).click();
    const dialog = studio.dialog('Reasoning cache');
    await expect(dialog.getByRole('list', { name: 'Cached reasonings' }).getByRole('listitem')).toHaveText([/truncated: kept, not used/]);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await reasoning.setMaxTokens('512');
    await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
    await expect(reasoning.cardAnswerText()).toHaveText('So the answer is supported.');
    await expect(reasoning.cardTruncated()).toHaveCount(0);
    await expect(studio.preview('tau').getByRole('note')).toHaveCount(0);
  });

  test('one JSON response whose content is null (the reasoning stopped at max tokens) is shown as truncated, not as a bad response', async ({ page, openaiServer }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await importTinyDataset(studio);
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY, maxTokens: '6', streaming: false });
    openaiServer.configure({ reasoningField: 'reasoning' });
    await studio.api((api) => api.selectExample('ex-a'));

    await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
    await expect(reasoning.cardTruncated()).toHaveText(/^Truncated \(length\): the model stopped at max tokens \(6\)\./);
    await expect(reasoning.cardText()).toHaveText(/^Reasoning for prompt [0-9a-f]{12}: the prompt$/);
    await expect(reasoning.card().getByRole('alert')).toHaveCount(0);
    expect(openaiServer.requests.map((r) => r.stream)).toEqual([false]);
  });

  test('a batch keeps an empty generation apart: listed as truncated, counted apart in agreement, and Resume redoes it', async ({ page, openaiServer }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await importTinyDataset(studio);
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
    openaiServer.configure({ reasoningField: 'reasoning' });
    await reasoning.scope().selectOption({ label: 'the train split (4)' });
    openaiServer.enqueueFor('[ex-b]', { kind: 'empty' });

    await reasoning.runBatch();
    await expect(reasoning.result()).toContainText('Finished with failures');
    await expect(reasoning.counts()).toContainText('3 of 4 done (0 cached, 3 generated) · 1 truncated · 0 failed');
    await expect(reasoning.truncated().getByRole('listitem')).toHaveText(['ex-b: truncated (empty, finish: stop): the model returned no text; Resume generates it again']);
    await expect(reasoning.plan()).toHaveText(/^3 cached \/ 1 to generate \/ 1 truncated/);
    await expect(reasoning.agreementSummary()).toHaveText('Agreement with gold: 2 agree · 1 disagree · 0 unparsed · 1 truncated (not counted) · 0 without reasoning');
    await expect(reasoning.exampleRow('ex-b')).toContainText('… truncated');
    // Nothing retried: the empty answer came once.
    expect(openaiServer.stats().chatRequests).toBe(4);

    await expect(reasoning.startButton()).toHaveText('Resume for 4 examples');
    await reasoning.runBatch();
    await expect(reasoning.result()).toHaveText('Finished: every example has its reasoning.');
    await expect(reasoning.plan()).toHaveText('4 cached / 0 to generate');
    await expect(reasoning.agreementSummary()).toHaveText('Agreement with gold: 3 agree · 1 disagree · 0 unparsed · 0 without reasoning');
    expect(openaiServer.stats().chatRequests).toBe(5);
  });
});
