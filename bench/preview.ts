/**
 * Preview re-render benchmark: with 1,000 examples loaded, how long from a keystroke in the I_τ
 * editor to the preview's commit (and to the next frame)? Budget: under 16 ms.
 *
 *   npm run bench:preview [-- --no-build] [-- --keys 300]
 *
 * Loads the first 1,000 rows of public/samples/xquad_xling/train.jsonl through the app's import
 * pipeline (test API of the e2e build), selects an example, then types into I_τ key by key with
 * Playwright's keyboard in /usr/bin/chromium against `vite preview`. Timings come from the app's
 * probe (src/ui/testing/perf.ts): keydown event timestamp -> preview layout effect.
 */
import { readFileSync } from 'node:fs';
import { baseUrl, build, launch, ms, root, saveResult, startPreview, stats, stopPreview } from './lib.ts';

const EXAMPLES = 1000;
const keysArg = process.argv.indexOf('--keys');
const KEYS = keysArg > 0 ? Number(process.argv[keysArg + 1]) : 300;

const rows = readFileSync(`${root}public/samples/xquad_xling/train.jsonl`, 'utf8').split('\n').filter(Boolean).slice(0, EXAMPLES);
if (rows.length !== EXAMPLES) throw new Error(`expected ${EXAMPLES} rows, found ${rows.length}`);

build('e2e');
const server = await startPreview('dist-e2e', 'e2e');
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(baseUrl);
  await page.waitForFunction(() => window.__fiat !== undefined);
  await page.evaluate(() => window.__fiat?.ready());
  const imported = await page.evaluate((text) => window.__fiat?.importDataset(text, 'xquad-1000.jsonl', { kind: 'extractive-qa' }), rows.join('\n'));
  if (imported?.examples !== EXAMPLES) throw new Error(`imported ${JSON.stringify(imported)}`);
  await page.getByRole('status', { name: 'Example count' }).filter({ hasText: `1,000 of 1,000 examples` }).waitFor();
  const editor = page.getByRole('region', { name: 'I_τ instruction' }).locator('.monaco-editor .view-lines');
  await editor.waitFor();
  await page.getByRole('listbox', { name: 'Examples' }).getByRole('option').nth(3).click();
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' warmup', { delay: 30 });
  await page.evaluate(() => window.__fiat?.perf.start());

  const text = 'the quick brown fox answers in English. ';
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.type(text[i % text.length] ?? 'x');
    await page.waitForTimeout(25);
  }
  await page.waitForTimeout(300);
  const timings = (await page.evaluate(() => window.__fiat?.perf.timings())) ?? [];
  const preview = (await page.getByRole('article', { name: 'I_τ input' }).textContent()) ?? '';
  const typed = Array.from({ length: KEYS }, (_, i) => text[i % text.length]).join('').trimEnd();
  if (!preview.includes(typed.slice(-20))) throw new Error('the preview does not show the typed text');

  const commit = stats(timings.map((t) => t.toCommit));
  const frame = stats(timings.map((t) => t.toFrame));
  console.log(`\npreview re-render, ${EXAMPLES} examples loaded, ${KEYS} keystrokes in I_τ (${commit.n} measured), Chromium ${browser.version()}`);
  console.log(`  keydown -> preview commit: median ${ms(commit.median)}, p95 ${ms(commit.p95)}, max ${ms(commit.max)}`);
  console.log(`  keydown -> next frame:     median ${ms(frame.median)}, p95 ${ms(frame.p95)}, max ${ms(frame.max)}`);
  console.log(`  budget 16 ms (commit p95): ${commit.p95 < 16 ? 'met' : 'NOT met'}`);
  saveResult('preview', { examples: EXAMPLES, keys: KEYS, chromium: browser.version(), commit, frame });
} finally {
  await browser.close();
  stopPreview(server);
}
