/**
 * The studio's train step in Chromium (the real Tuning tab: its worker, its run controller, its curves) against the
 * CLI's engine in Node on the same model, shapes and EP, in one run:
 *
 *   npm run bench:studio-train [-- --no-build] [-- --rounds 3] [-- --steps 60] [-- --skip 20] [-- --batch 4] [-- --seq 128]
 *
 * Studio: vite preview of the e2e build, Chromium without WebGPU (so the run takes the WASM EP, as on a machine
 * without a GPU; the run's progress line must say so), the demo model from a local Hub server (test/support), a plain
 * fine-tuning run started with the Train button: LoRA r=8, alpha 16 on the seven projections, batch B x T (micro-batch
 * B), no evaluation or checkpoint between step 0 and the end, so the steps are one train call. The worker's step
 * progress messages are watched from the page (a Worker wrapper installed before the studio's scripts): each step's
 * arrival in the page's clock, and the worker's own elapsedMs.
 * CLI: the engine `fiat bench` and `fiat train` run (nodeEngine, in-thread), the demo model's folder, the same setup
 * with the WASM EP and the thread count the studio's worker gets (onnxruntime-web's default: half the cores, at most
 * 4, when the page is cross-origin isolated), steps timed by the same progress.
 * Each side's step time is the median interval between consecutive steps' progress after the first --skip steps (the
 * first steps run WebAssembly code V8 has not yet optimised: bench/engine/README.md). Rounds alternate the sides.
 * overhead = studio median / CLI median - 1 (aim: under 5%). Writes bench/results/studio-train-*.json.
 * BENCH_PORT picks vite preview's port.
 */
import { chromium, type Page } from '@playwright/test';
import type { TrainProgress } from '../src/engine/engine.ts';
import { nodeEngine } from '../src/engine/node/engine-node.ts';
import { sampleSequences } from '../src/models/batch.ts';
import { startHubServer } from '../test/support/hub-server.ts';
import { chromiumArgs } from '../playwright.config.ts';
import { modelDirSource } from '../cli/model-dir.ts';
import { StudioPage } from '../e2e/pages/studio-page.ts';
import { baseUrl, build, ms, root, saveResult, startPreview, stats, stopPreview } from './lib.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 3);
const STEPS = arg('--steps', 60);
const SKIP = arg('--skip', 20);
const BATCH = arg('--batch', 4);
const SEQ = arg('--seq', 128);
const LORA = { r: 8, alpha: 16, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] };
const DEMO = { repo: 'fiat-studio/demo', revision: 'main' };
if (SKIP + 2 > STEPS) throw new Error(`--steps ${STEPS} leaves fewer than 2 steps after --skip ${SKIP}`);

/** A step's progress as the page saw it: when it arrived (page clock) and the worker's elapsedMs. */
interface Arrival {
  readonly step: number;
  readonly at: number;
  readonly elapsedMs: number;
}

/** Median interval between consecutive steps after the first `skip`, of times keyed by step. */
function stepMedian(times: readonly { step: number; t: number }[], skip: number): number {
  const kept = times.filter((x) => x.step > skip);
  const gaps = kept.slice(1).map((x, i) => (x.t - kept[i]!.t) / (x.step - kept[i]!.step));
  return stats(gaps).median;
}

/** Records the studio's train progress messages as the page receives them (installed before its scripts run). */
function watchWorkers(): void {
  const w = window as unknown as { __trainArrivals: Arrival[] };
  w.__trainArrivals = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as { type?: string; progress?: Partial<TrainProgress> } | null;
        const p = data?.type === 'progress' ? data.progress : undefined;
        if (p && typeof p.step === 'number' && typeof p.elapsedMs === 'number' && typeof p.loss === 'number') {
          w.__trainArrivals.push({ step: p.step, at: performance.now(), elapsedMs: p.elapsedMs });
        }
      });
    }
  };
}

async function setUpStudio(page: Page, endpoint: string): Promise<number> {
  const studio = new StudioPage(page);
  // StudioPage.goto also waits for the editors, which a loaded machine may take longer than expect's 5 s to show.
  await page.goto('/');
  await page.waitForFunction(() => window.__fiat !== undefined);
  await page.evaluate(() => window.__fiat?.ready());
  await page.getByRole('tab', { name: 'Tuning' }).click();
  await studio.api((api, json) => api.loadSmallModel(JSON.parse(json) as { endpoint: string; repo: string; revision: string }), JSON.stringify({ endpoint, ...DEMO }));
  const panel = page.getByRole('tabpanel', { name: 'Tuning' });
  await panel.getByLabel('Method').selectOption('fine-tune');
  await studio.api((api, json) => api.setTrainingShapes(JSON.parse(json) as Parameters<typeof api.setTrainingShapes>[0]), JSON.stringify({ lora: LORA, batchSize: BATCH, microBatchSize: BATCH, seqLen: SEQ }));
  const fill = (label: string, value: string) => panel.getByLabel(label, { exact: true }).fill(value);
  await fill('Steps', String(STEPS));
  await fill('Learning rate', '0.0002');
  await fill('Warm-up steps', '0');
  await fill('Evaluate every (steps)', '0');
  await fill('Checkpoint every (steps)', '0');
  await fill('Validation examples', '2');
  // onnxruntime-web's default WASM threads in the studio's worker (it sets none): half the cores, at most 4, when the
  // page is cross-origin isolated, else 1.
  return page.evaluate(() => (crossOriginIsolated ? Math.min(4, Math.ceil((navigator.hardwareConcurrency || 1) / 2)) : 1));
}

/** One studio run from the Train button; the step arrivals of that run. */
async function studioRun(page: Page): Promise<Arrival[]> {
  const panel = page.getByRole('tabpanel', { name: 'Tuning' });
  await page.evaluate(() => ((window as unknown as { __trainArrivals: Arrival[] }).__trainArrivals = []));
  const train = panel.getByRole('button', { name: /^Train on \d+ examples$/ });
  await train.waitFor({ state: 'visible' });
  // Enabled once the training set is built with the loaded tokenizer.
  for (let tries = 0; !(await train.isEnabled()); tries++) {
    if (tries > 600) throw new Error('the Train button stayed disabled');
    await page.waitForTimeout(200);
  }
  await train.click();
  await page.locator('.run-progress[data-status="done"], .run-progress[data-status="failed"], .run-progress[data-status="diverged"]').waitFor({ timeout: 600_000 });
  const status = await panel.locator('.run-progress').getAttribute('data-status');
  if (status !== 'done') throw new Error(`the studio's run ended ${status}: ${await panel.locator('.run-progress').innerText()}`);
  const line = await panel.getByTestId('run-step').innerText();
  if (!/WASM/i.test(line)) throw new Error(`the studio's run did not take the WASM EP: "${line}"`);
  const arrivals = await page.evaluate(() => (window as unknown as { __trainArrivals: Arrival[] }).__trainArrivals);
  if (arrivals.length !== STEPS) throw new Error(`saw ${arrivals.length} step messages, expected ${STEPS}`);
  return arrivals;
}

/** The CLI's engine on the demo model's folder, the same setup: step progress in Node's clock. */
async function cliRun(threads: number): Promise<{ step: number; t: number }[]> {
  const engine = nodeEngine({ threads });
  try {
    const info = await engine.load(await modelDirSource(`${root}public/models/demo`), { requireTokenizer: false });
    await engine.prepareTraining({ lora: LORA, batchSize: BATCH, microBatchSize: BATCH, seqLen: SEQ, ep: 'wasm', wasmThreads: threads });
    const examples = sampleSequences({ count: 64, seqLen: SEQ, vocabSize: info.vocabSize, seed: 0 });
    const times: { step: number; t: number }[] = [];
    await engine.train({ examples, steps: STEPS, lr: { peak: 2e-4, warmupSteps: 0, decay: 'linear' } }, { onProgress: (p) => times.push({ step: p.step, t: p.elapsedMs }) });
    return times;
  } finally {
    await engine.dispose();
  }
}

const hub = await startHubServer({ repos: { [DEMO.repo]: { [DEMO.revision]: `${root}public/models/demo` } } });
build('e2e');
const server = await startPreview('dist-e2e', 'e2e');
// Without --enable-unsafe-webgpu: no WebGPU adapter, so the studio trains on WASM.
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu'), headless: true });
try {
  const context = await browser.newContext({ baseURL: baseUrl });
  await context.addInitScript(watchWorkers);
  const page = await context.newPage();
  const threads = await setUpStudio(page, hub.endpoint);
  console.log(`demo model, LoRA r=${LORA.r} alpha ${LORA.alpha} on ${LORA.targets.join(',')}, batch ${BATCH} x ${SEQ}, WASM ${threads} thread${threads > 1 ? 's' : ''}; ${STEPS} steps a run, the first ${SKIP} left out; ${ROUNDS} rounds`);
  const studioPage: number[] = [];
  const studioWorker: number[] = [];
  const cli: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const arrivals = await studioRun(page);
    studioPage.push(stepMedian(arrivals.map((a) => ({ step: a.step, t: a.at })), SKIP));
    studioWorker.push(stepMedian(arrivals.map((a) => ({ step: a.step, t: a.elapsedMs })), SKIP));
    cli.push(stepMedian(await cliRun(threads), SKIP));
    console.log(`round ${round + 1}: studio ${ms(studioPage.at(-1)!)} (worker's own clock ${ms(studioWorker.at(-1)!)}), CLI ${ms(cli.at(-1)!)} per step`);
  }
  const s = stats(studioPage).median;
  const w = stats(studioWorker).median;
  const c = stats(cli).median;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `median step: studio ${ms(s)} (in the worker ${ms(w)}), CLI ${ms(c)}; studio vs CLI ${pct(s / c - 1)}, page vs worker ${pct(s / w - 1)} ` +
      `(aim under 5%: ${s / c - 1 < 0.05 ? 'met' : 'NOT met'})`,
  );
  saveResult('studio-train', { chromium: browser.version(), node: process.version, threads, batch: BATCH, seq: SEQ, lora: LORA, steps: STEPS, skip: SKIP, rounds: ROUNDS, studioPage, studioWorker, cli });
} finally {
  await browser.close();
  stopPreview(server);
  await hub.close();
}
