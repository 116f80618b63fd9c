/**
 * Initial bundle size and time to interactive on `vite preview` (production build).
 *
 *   npm run bench:bundle [-- --no-build] [-- --runs 5]
 *
 * Initial JS = the entry script of dist/index.html plus the chunks it preloads (its static imports).
 * Fails if Monaco or onnxruntime-web is in them (both must be lazy), as their source maps say; a chunk
 * without a source map (rolldown's runtime) is measured and named, not checked. Timing: fresh browser
 * context per run (cold cache); FCP from the paint timeline; "editors ready" when both Monaco editors have
 * mounted (performance marks the app sets); TTI as Lighthouse defines it, simplified: the end of the last
 * long task (>50 ms) after FCP, once 5 s pass with none (the server is local, so network quiet is assumed).
 */
import { readFileSync } from 'node:fs';
import { initialFiles, inspectInitialChunks } from './initial-chunks.ts';
import { baseUrl, build, launch, longTasks, ms, observeLongTasks, root, saveResult, startPreview, stats, stopPreview } from './lib.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const dist = `${root}dist/`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

build('production');
const { scripts: initial, styles: css } = initialFiles(readFileSync(`${dist}index.html`, 'utf8'));
const { rawBytes: raw, gzipBytes: gzip, lazyLibrarySources: forbidden, unmapped } = inspectInitialChunks(dist, initial);
const cssBytes = css.reduce((n, f) => n + readFileSync(dist + f).length, 0);
console.log(`\ninitial JS: ${initial.join(', ')}`);
console.log(`  ${kb(raw)} minified, ${kb(gzip)} gzip; initial CSS ${kb(cssBytes)}`);
if (forbidden.length > 0) {
  console.error(`Monaco or onnxruntime-web in the initial bundle:\n  ${forbidden.slice(0, 10).join('\n  ')}`);
  process.exit(1);
}
console.log('  no Monaco, no onnxruntime-web in the initial chunks');
if (unmapped.length > 0) console.log(`  no source map, so not checked for them: ${unmapped.join(', ')}`);

const server = await startPreview('dist', 'production');
const browser = await launch();
const results: { fcp: number; editorsReady: number; tti: number; longTasks: number }[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await observeLongTasks(context);
    const page = await context.newPage();
    await page.goto(baseUrl);
    await page.waitForFunction(() => performance.getEntriesByName('fiat-studio:editor-tau-mounted').length > 0, undefined, { timeout: 60_000 });
    // Wait for 5 s without a long task (the quiet window of TTI).
    for (;;) {
      const lastEnd = (await longTasks(page)).at(-1)?.end ?? 0;
      const sinceLast = (await page.evaluate(() => performance.now())) - lastEnd;
      if (sinceLast >= 5000) break;
      await page.waitForTimeout(5000 - sinceLast + 50);
    }
    const tasks = await longTasks(page);
    const { fcp, editorsReady } = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      editorsReady: Math.max(...['beta', 'tau'].map((r) => performance.getEntriesByName(`fiat-studio:editor-${r}-mounted`)[0]?.startTime ?? NaN)),
    }));
    const lastAfterFcp = tasks.filter((t) => t.end > fcp).at(-1)?.end ?? fcp;
    const result = { fcp, editorsReady, tti: Math.max(fcp, lastAfterFcp), longTasks: tasks.length };
    results.push(result);
    console.log(`  run ${run + 1}: FCP ${ms(result.fcp)}, editors ready ${ms(result.editorsReady)}, TTI ${ms(result.tti)} (${result.longTasks} long tasks)`);
    await context.close();
  }
} finally {
  await browser.close();
  stopPreview(server);
}
const fcp = stats(results.map((r) => r.fcp));
const ready = stats(results.map((r) => r.editorsReady));
const tti = stats(results.map((r) => r.tti));
console.log(`\n${RUNS} cold loads, Chromium ${browser.version()}: median FCP ${ms(fcp.median)}, editors ready ${ms(ready.median)}, TTI ${ms(tti.median)}`);
saveResult('bundle', { initialFiles: initial, unmappedFiles: unmapped, rawBytes: raw, gzipBytes: gzip, cssBytes, runs: results, fcp, editorsReady: ready, tti });
