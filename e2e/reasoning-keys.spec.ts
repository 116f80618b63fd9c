import { readFile } from 'node:fs/promises';
import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { expect, E2E_API_KEY, test } from './support/openai-server-fixture.ts';

// Made up; the test server rejects it and, like some real servers, echoes it in its 401 body.
const WRONG_KEY = 'sk-wrong-made-up-key-5566778899aabb';

test('the API key stays in browser storage: never in the export, a URL, the console or an error; the cache travels in the export', async ({ page, openaiServer }) => {
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  page.on('pageerror', (error) => consoleLines.push(String(error)));
  const requestUrls: string[] = [];
  page.on('request', (request) => requestUrls.push(request.url()));

  const studio = new StudioPage(page);
  await studio.goto();
  const reasoning = new ReasoningPage(studio);
  await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
  await expect(reasoning.tab().getByLabel('Provider')).toContainText('API key saved in this browser');

  // Test connection with the saved key.
  await reasoning.tab().getByRole('button', { name: 'Provider settings…' }).click();
  await reasoning.providerDialog().getByRole('button', { name: 'Test connection' }).click();
  await expect(reasoning.providerDialog().getByRole('status', { name: 'Connection test' })).toHaveText(
    /^Connected in \d+ ms\. The server lists 1 model\(s\); “fake-reasoner” is one of them\.$/,
  );
  await reasoning.providerDialog().getByRole('button', { name: 'Cancel' }).click();

  await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
  await expect(reasoning.cardStats()).toContainText('Latency');

  // A wrong key: the error is shown with the key redacted.
  await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: WRONG_KEY });
  const [, second] = await studio.api((api) => api.exampleIds(2));
  await studio.api((api, id) => api.selectExample(id), second);
  await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
  await expect(reasoning.card().getByRole('alert')).toHaveText(/^auth: .*HTTP 401.*Incorrect API key provided: \[redacted\]/);
  expect(openaiServer.requests.at(-1)?.status).toBe(401);
  expect(await page.content()).not.toContain(WRONG_KEY);
  await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
  // Back to the example with a reasoning: the exported project selects it.
  await studio.api((api, id) => api.selectExample(id), (await studio.api((api) => api.exampleIds(1)))[0] ?? '');
  await expect(studio.preview('tau').getByRole('note')).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export project' }).click()]);
  const text = await readFile(await download.path(), 'utf8');
  expect(text).not.toContain(E2E_API_KEY);
  expect(text).not.toContain(WRONG_KEY);
  expect(text).not.toMatch(/apiKey|api_key|secret|password|authorization|bearer/i);
  const file = JSON.parse(text) as { schemaVersion: number; project: { reasoning: { provider: { baseUrl: string } } }; reasoningCache: { entries: { reasoning: string }[] } };
  expect(file.schemaVersion).toBe(6);
  expect(file.project.reasoning.provider.baseUrl).toBe(openaiServer.baseUrl);
  expect(file.reasoningCache.entries).toHaveLength(1);
  expect(file.reasoningCache.entries[0]?.reasoning).toMatch(/So the answer is yes\.$/);

  // The key is in this browser's storage (and only there: not in the project the studio saves).
  const stored = await page.evaluate(() => Object.entries(localStorage));
  expect(stored.filter(([, value]) => value === E2E_API_KEY).map(([name]) => name)).toEqual([expect.stringMatching(/^fiat-studio\.provider-key\./)]);
  expect(JSON.stringify(await studio.api((api) => api.project()))).not.toContain(E2E_API_KEY);

  // Not in any URL, nor on the console (which does log the provider's requests).
  expect(page.url()).not.toContain(E2E_API_KEY);
  expect(requestUrls.filter((url) => url.includes(E2E_API_KEY) || url.includes(WRONG_KEY))).toEqual([]);
  expect(openaiServer.requests.filter((r) => r.url.includes(E2E_API_KEY) || r.url.includes(WRONG_KEY))).toEqual([]);
  expect(consoleLines.some((line) => line.startsWith('[provider] POST'))).toBe(true);
  expect(consoleLines.filter((line) => line.includes(E2E_API_KEY) || line.includes(WRONG_KEY))).toEqual([]);

  // The cache travels with the project: clear it, import the file, and the reasoning is back.
  await reasoning.tab().getByRole('button', { name: 'Inspect cache…' }).click();
  const cacheDialog = studio.dialog('Reasoning cache');
  await cacheDialog.getByRole('button', { name: 'Clear all…' }).click();
  await cacheDialog.getByRole('button', { name: 'Delete' }).click();
  await expect(cacheDialog.getByRole('status', { name: 'Cache size' })).toContainText('0 reasonings');
  await cacheDialog.getByRole('button', { name: 'Close' }).click();
  await expect(studio.preview('tau').getByRole('note')).toContainText('reasoning pending');
  const before = openaiServer.stats().chatRequests;
  await page.getByLabel('Project file to import').setInputFiles({ name: 'project.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  const confirm = studio.dialog('Import project');
  await expect(confirm).toContainText('1 cached reasonings');
  await confirm.getByRole('button', { name: 'Replace project' }).click();
  await expect(studio.preview('tau').getByRole('note')).toHaveCount(0);
  await expect(studio.preview('tau')).toContainText('So the answer is yes.');
  expect(await studio.api((api) => api.reasoningCacheCount())).toBe(1);
  expect(openaiServer.stats().chatRequests).toBe(before);
});
