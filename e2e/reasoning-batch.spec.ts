import type { StartedOpenAIServer } from '../test/support/openai-server.ts';
import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { expect, E2E_API_KEY, test } from './support/openai-server-fixture.ts';
import { importTinyDataset, TRAIN_IDS } from './support/tiny-dataset.ts';

/** Chat requests per example (by its marker), and how many of them completed normally. */
function requestsOf(server: StartedOpenAIServer, id: string) {
  const mine = server.requests.filter((r) => r.prompt.includes(`[${id}]`));
  return { all: mine.length, completed: mine.filter((r) => r.behaviour === 'normal' && r.status === 200).length };
}

async function setUp(page: StudioPage['page'], server: StartedOpenAIServer) {
  const studio = new StudioPage(page);
  await studio.goto();
  await importTinyDataset(studio);
  const reasoning = new ReasoningPage(studio);
  await reasoning.setUpProvider({ baseUrl: server.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
  await reasoning.scope().selectOption({ label: 'the train split (4)' });
  return { studio, reasoning };
}

test.describe('reasoning batch', () => {
  test('429 with Retry-After, 500, a dropped connection and a malformed chunk: every example done exactly once; a second batch after reload sends nothing', async ({ page, openaiServer }) => {
    const { studio, reasoning } = await setUp(page, openaiServer);
    await expect(reasoning.plan()).toHaveText(/^0 cached \/ 4 to generate \/ ~\d+ prompt tokens, at most 512 completion tokens each/);

    openaiServer.enqueueFor('[ex-a]', { kind: 'rate-limit', retryAfter: '1' });
    openaiServer.enqueueFor('[ex-b]', { kind: 'server-error' });
    openaiServer.enqueueFor('[ex-c]', { kind: 'drop', afterChunks: 2 });
    openaiServer.enqueueFor('[ex-d]', { kind: 'malformed-chunk', afterChunks: 2 });
    await reasoning.runBatch();
    await expect(reasoning.result()).toHaveText('Finished: every example has its reasoning.');
    await expect(reasoning.counts()).toContainText('4 of 4 done (0 cached, 4 generated) · 0 failed');
    await expect(reasoning.counts()).toContainText('8 requests, 4 retries');
    for (const id of TRAIN_IDS) expect(requestsOf(openaiServer, id), id).toEqual({ all: 2, completed: 1 });
    expect(openaiServer.stats()).toMatchObject({ chatRequests: 8, completed: 4 });
    expect(openaiServer.stats().maxConcurrent).toBeLessThanOrEqual(4);
    expect(await studio.api((api) => api.reasoningCacheCount())).toBe(4);

    // Agreement with gold: a, b, d agree; c's reasoning says supported, gold is not supported.
    await expect(reasoning.exampleRow('ex-a')).toContainText('✓ agrees');
    await expect(reasoning.exampleRow('ex-c')).toContainText('✗ disagrees');
    await expect(reasoning.exampleRow('ex-e')).not.toContainText(/agrees|disagrees|unparsed/);
    await expect(reasoning.agreementSummary()).toHaveText('Agreement with gold: 3 agree · 1 disagree · 0 unparsed · 0 without reasoning');
    await expect(reasoning.iclBaseline()).toContainText('accuracy 75.0% over the 4 examples with reasoning (coverage 4 of 4, 100.0%)');
    await reasoning.scope().selectOption({ label: 'all splits (5)' });
    await expect(reasoning.iclBaseline()).toContainText('(coverage 4 of 5, 80.0%)');
    await expect(reasoning.plan()).toHaveText(/^4 cached \/ 1 to generate/);
    await reasoning.scope().selectOption({ label: 'the train split (4)' });
    await expect(page.getByLabel('Training filter effect')).toContainText('would keep 3 of 4 train examples');
    await expect(reasoning.trainingFilter()).not.toBeChecked();
    await reasoning.trainingFilter().check();

    // A bad answer pattern: the message is at the field; nothing is parsed with it; what was typed is kept.
    await reasoning.answerPattern().fill('so the answer is (.+');
    await expect(reasoning.tab().getByRole('alert')).toContainText('not a valid regular expression');
    await expect(reasoning.answerPattern()).toHaveAttribute('aria-invalid', 'true');
    await expect(reasoning.exampleRow('ex-a')).not.toContainText('agrees');
    await reasoning.answerPattern().fill('so the answer is (.+)');
    await expect(reasoning.exampleRow('ex-a')).toContainText('✓ agrees');

    // The selected example's I_τ input is filled from the cache: no pending marker.
    await studio.api((api) => api.selectExample('ex-b'));
    await expect(studio.preview('tau')).toContainText('So the answer is not supported.');
    await expect(studio.preview('tau').getByRole('note')).toHaveCount(0);

    // Editing I_τ changes no prompt: still nothing to generate.
    await studio.api((api) => api.setInstruction('tau', 'Another I_τ {{question}} {{reasoning}}'));
    await expect(reasoning.plan()).toHaveText(/^4 cached \/ 0 to generate$/);

    await studio.flushSave();
    await studio.reload();
    openaiServer.reset();
    await reasoning.openTab();
    await expect(reasoning.scope()).toHaveValue('train');
    await expect(reasoning.trainingFilter()).toBeChecked();
    await expect(reasoning.plan()).toHaveText('4 cached / 0 to generate');
    await reasoning.runBatch();
    await expect(reasoning.result()).toHaveText('Finished: every example has its reasoning.');
    await expect(reasoning.counts()).toContainText('4 of 4 done (4 cached, 0 generated)');
    expect(openaiServer.stats().chatRequests).toBe(0);
  });

  test('what finished is kept when one fails; resume sends only the rest; cancel keeps what finished; the cache can be inspected and cleared', async ({ page, openaiServer }) => {
    const { studio, reasoning } = await setUp(page, openaiServer);
    // With prices, the plan estimates the cost (prompt tokens from the text, at most max tokens out).
    await reasoning.setPrices('1000', '2000');
    await expect(reasoning.plan()).toHaveText(/^0 cached \/ 4 to generate \/ est\. cost 4\.\d\d \(~\d+ prompt tokens, at most 512 completion tokens each\)$/);
    // A 400 is not worth a retry: ex-c fails at once, the others finish.
    openaiServer.enqueueFor('[ex-c]', { kind: 'server-error', status: 400 });
    await reasoning.runBatch();
    await expect(reasoning.counts()).toContainText(/ · cost 0\.\d\d$/);
    await expect(reasoning.result()).toContainText('Finished with failures');
    await expect(reasoning.failures().getByRole('listitem')).toHaveText([/^ex-c after 1 attempt: bad-request: .*HTTP 400/]);
    await expect(reasoning.plan()).toHaveText(/^3 cached \/ 1 to generate/);
    await expect(reasoning.startButton()).toHaveText('Resume for 4 examples');
    await reasoning.runBatch();
    await expect(reasoning.result()).toHaveText('Finished: every example has its reasoning.');
    expect(TRAIN_IDS.map((id) => requestsOf(openaiServer, id).completed)).toEqual([1, 1, 1, 1]);
    expect(openaiServer.stats().chatRequests).toBe(5);

    // A new I_β: every prompt changes. Cancel after the first reasoning, one request at a time: the
    // second example's request hangs until the cancel, so what is kept does not depend on timing.
    openaiServer.reset();
    openaiServer.enqueueFor(`[${TRAIN_IDS[1]}]`, { kind: 'hang' });
    await studio.api((api) => api.setInstruction('beta', 'Check the answer, step by step.\nQuestion: {{question}}\nPassage: {{passage}}\nAnswer: {{answer}}'));
    await expect(reasoning.plan()).toHaveText(/^0 cached \/ 4 to generate/);
    await reasoning.concurrency().fill('1');
    await reasoning.startButton().click();
    await expect(reasoning.counts()).toContainText(/^1 of 4 done/);
    await reasoning.tab().getByRole('button', { name: 'Cancel' }).click();
    await expect(reasoning.result()).toContainText('Cancelled: what finished is kept');
    expect(await studio.api((api) => api.reasoningCacheCount())).toBe(5);
    await reasoning.runBatch();
    await expect(reasoning.result()).toHaveText('Finished: every example has its reasoning.');
    expect(openaiServer.stats().completed).toBe(4);
    expect(openaiServer.stats().maxConcurrent).toBe(1);
    expect(await studio.api((api) => api.reasoningCacheCount())).toBe(8);

    await reasoning.tab().getByRole('button', { name: 'Inspect cache…' }).click();
    const dialog = studio.dialog('Reasoning cache');
    await expect(dialog.getByRole('status', { name: 'Cache size' })).toContainText('8 reasonings');
    await expect(dialog.getByRole('table', { name: 'Reasonings per model' })).toContainText('fake-reasoner');
    const entries = dialog.getByRole('list', { name: 'Cached reasonings' }).getByRole('listitem');
    await expect(entries).toHaveCount(8);
    await entries.first().locator('summary').click();
    await expect(entries.first().locator('pre')).toContainText(/^Reasoning for prompt [0-9a-f]{12}: .* So the answer is/);
    await dialog.getByRole('button', { name: 'Clear all…' }).click();
    await dialog.getByRole('alertdialog', { name: 'Confirm clearing' }).getByRole('button', { name: 'Delete' }).click();
    await expect(dialog.getByRole('status', { name: 'Cache size' })).toContainText('0 reasonings');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(reasoning.plan()).toHaveText(/^0 cached \/ 4 to generate/);
  });
});
