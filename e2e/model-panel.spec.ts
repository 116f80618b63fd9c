import { readFileSync } from 'node:fs';
import { formatBytes } from '../src/fiat/dataset/read.ts';
import { ModelPage } from './pages/model-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { expectNoSeriousViolations } from './support/axe.ts';
import { DEMO_REPO, expect, GATED_REPO, GATED_TOKEN, test } from './support/hub-server-fixture.ts';

// The Tuning tab's model panel in Chromium, against the local Hub (e2e/support/hub-server-fixture.ts: the demo model
// as fiat-studio/demo, and behind a token as fiat-studio/gated), through the studio's tuning engine in its worker.

// The files a load reads and inspect lists (the demo folder's README.md is not one of them), in the order read.
const DEMO_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'model.safetensors'];
const bytesOf = (file: string) => readFileSync(`public/models/demo/${file}`).byteLength;
const DEMO_TOTAL = DEMO_FILES.reduce((s, f) => s + bytesOf(f), 0);

async function openPanel(page: StudioPage['page']): Promise<ModelPage> {
  const studio = new StudioPage(page);
  await studio.goto();
  const model = new ModelPage(studio);
  await model.openTab();
  return model;
}

test('the demo model is the default: its size and fit are shown, and it loads offline, said to have random weights', async ({ page, baseURL }) => {
  // Every request that leaves the studio's origin is refused and recorded: the demo model needs none.
  const away: string[] = [];
  await page.context().route(
    (url) => url.origin !== new URL(baseURL!).origin,
    (route) => {
      away.push(route.request().url());
      return route.abort();
    },
  );
  const model = await openPanel(page);
  await expect(model.tab().getByRole('radio', { name: /^Demo model/ })).toBeChecked();
  await expect(model.size()).toContainText(`demo model: 5 files, ${formatBytes(DEMO_TOTAL)} in all; served with the studio`);
  await expect(model.verdict()).toHaveText('Fits this device’s GPU.');
  await expect(model.loaded()).toContainText('No small model is loaded');
  await model.loadButton().click();
  await expect(model.loaded()).toContainText('Loaded: demo model, LlamaForCausalLM');
  await expect(model.loaded()).toContainText('weights are random');
  expect(await model.studio.api((api) => api.smallModel())).toEqual({ status: 'loaded', label: 'demo model', randomWeights: true });
  expect(away).toEqual([]);
  await expectNoSeriousViolations(page, 'the Tuning tab with the demo model loaded');
});

test('a Hub repo: size before the download, the fit, a load with progress per file that can be cancelled, then loaded and cached; deleting it empties the cache', async ({ page, hub }) => {
  const model = await openPanel(page);
  await model.checkHubRepo(DEMO_REPO.repo, hub.endpoint);
  await expect(model.size()).toContainText(`${DEMO_REPO.repo}: 5 files, ${formatBytes(DEMO_TOTAL)} in all; ${formatBytes(DEMO_TOTAL)} to download.`);
  await expect(model.verdict()).toHaveText('Fits this device’s GPU.');
  expect(hub.count('model.safetensors', { method: 'GET' })).toBe(0); // sizes come from HEAD; nothing large was downloaded

  // The weights stall after 100,000 bytes: the progress holds there, every file before it read whole.
  hub.fault('model.safetensors', { kind: 'stall', afterBytes: 100_000 });
  await model.loadButton().click();
  const before = DEMO_FILES.slice(0, -1).reduce((s, f) => s + bytesOf(f), 0);
  await expect(model.progress()).toHaveText(`Loading ${DEMO_REPO.repo}: ${formatBytes(before + 100_000)} of ${formatBytes(DEMO_TOTAL)}`);
  // config.json came from the cache: the check before the load read it (and cached it).
  const whole = DEMO_FILES.slice(0, -1).map((f) => `${f} ${formatBytes(bytesOf(f))}${f === 'config.json' ? ' (from the cache)' : ''}`);
  await expect(model.filesLoaded().getByRole('listitem')).toHaveText([...whole, `model.safetensors ${formatBytes(100_000)}`]);
  await expect(model.tab().getByRole('progressbar', { name: 'Load progress' })).toBeVisible();
  await model.cancelButton().click();
  await expect(model.progress()).toHaveCount(0);
  await expect(model.loaded()).toContainText('No small model is loaded');
  await expect(model.tab().getByRole('alert')).toHaveCount(0); // a cancel is no failure

  await model.loadButton().click();
  await expect(model.loaded()).toContainText(`Loaded: ${DEMO_REPO.repo}@main, LlamaForCausalLM`);
  // What the load read is now cached: the size says so, and the cache lists it.
  await expect(model.size()).toContainText('all in this browser’s cache: loading makes no request');
  const row = model.cachedModels().getByRole('row', { name: new RegExp(`${DEMO_REPO.repo}@main`) });
  await expect(row).toContainText(`5${formatBytes(DEMO_TOTAL)}`);
  await expectNoSeriousViolations(page, 'the Tuning tab with a cached Hub model');

  await row.getByRole('button', { name: `Delete ${DEMO_REPO.repo}@main…` }).click();
  const confirm = model.studio.dialog('Delete a cached model');
  await expect(confirm).toContainText(formatBytes(DEMO_TOTAL));
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(confirm).toHaveCount(0);
  await expect(model.cachedModels()).toHaveCount(0);
  await expect(model.tab().getByText('No model is cached in this browser.')).toBeVisible();
  await expect(model.size()).toContainText(`${formatBytes(DEMO_TOTAL)} to download`);
});

test('a repo that does not exist shows the engine’s message, naming it', async ({ page, hub }) => {
  const model = await openPanel(page);
  await model.checkHubRepo('fiat-studio/no-such-model', hub.endpoint);
  const error = model.error(/fiat-studio\/no-such-model/);
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-kind', 'network');
  await expect(model.size()).toHaveCount(0);
});

test('bad repo ids and revisions are refused at their fields before any request', async ({ page, hub }) => {
  const model = await openPanel(page);
  await model.checkHubRepo('not a repo', hub.endpoint, 'my branch');
  await expect(model.error(/owner\/name/)).toBeVisible();
  await expect(model.error(/no spaces/)).toBeVisible();
  expect(hub.requests).toEqual([]);
});

test('a gated repo opens the token field; with the token saved it is checked and loads, and the token is in no project', async ({ page, hub }) => {
  const model = await openPanel(page);
  await model.checkHubRepo(GATED_REPO.repo, hub.endpoint);
  await expect(model.error(/token/i)).toContainText(GATED_REPO.repo);
  await expect(model.tokenField()).toBeVisible();
  await model.tokenField().fill(GATED_TOKEN);
  await model.tab().getByRole('button', { name: 'Save token' }).click();
  await expect(model.size()).toContainText(`${GATED_REPO.repo}: 5 files`);
  await expect(model.tokenField()).toHaveValue('');
  await model.loadButton().click();
  await expect(model.loaded()).toContainText(`Loaded: ${GATED_REPO.repo}@main`);
  expect(hub.requests.filter((r) => r.authorization !== null).every((r) => r.authorization === `Bearer ${GATED_TOKEN}`)).toBe(true);
  expect(JSON.stringify(await model.studio.api((api) => api.project()))).not.toContain(GATED_TOKEN);
});

test('shapes that exceed the memory budget do not fit, with what to change', async ({ page }) => {
  const model = await openPanel(page);
  await expect(model.verdict()).toHaveText('Fits this device’s GPU.');
  await model.studio.api((api) => api.setTrainingShapes({ memoryBudgetBytes: 1024 * 1024 }));
  await expect(model.verdict()).toHaveText('Does not fit this device’s GPU.');
  await expect(model.advice().getByRole('listitem')).toContainText(['a smaller model']);
});

test('a model folder from this computer: picked with the folder picker, checked and loaded', async ({ page }) => {
  const model = await openPanel(page);
  await model.chooseMode('Files on this computer');
  await model.tab().getByLabel('Model folder').setInputFiles('public/models/demo');
  await expect(model.tab().getByRole('status', { name: 'Picked files' })).toContainText('demo: 6 files');
  await expect(model.size()).toContainText('read from this computer');
  await model.loadButton().click();
  await expect(model.loaded()).toContainText('Loaded: demo, LlamaForCausalLM');
});

test('loose model files dropped on the drop zone are taken by their names', async ({ page }) => {
  const model = await openPanel(page);
  await model.chooseMode('Files on this computer');
  const files = DEMO_FILES.map((name) => ({ name, data: [...readFileSync(`public/models/demo/${name}`)] }));
  const dataTransfer = await page.evaluateHandle((all) => {
    const dt = new DataTransfer();
    for (const f of all) dt.items.add(new File([new Uint8Array(f.data)], f.name));
    return dt;
  }, files);
  await page.getByTestId('model-drop-zone').dispatchEvent('drop', { dataTransfer });
  await expect(model.tab().getByRole('status', { name: 'Picked files' })).toContainText('config.json: 5 files');
  await expect(model.size()).toContainText('config.json: 5 files');
});
