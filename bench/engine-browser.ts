/**
 * The engine in Chromium, through the engine harness (e2e/harness/engine.ts) against `vite preview`:
 *   (a) model load time in the Web Worker, first from the local Hub server (test/support/hub-server.ts, 127.0.0.1,
 *       so no real network cost) and then from Cache Storage after a page reload, for the demo model
 *       (public/models/demo, 0.9 MB) and a synthetic F32 Llama with random weights (about 21 MB, made here);
 *   (b) the Web Worker's overhead on a train step: the same LoRA steps of the demo model on the WASM EP (1 thread,
 *       batch 2, seq 64) through the worker and through the in-thread engine in the page, alternating, step times
 *       in the page's clock (as each step's progress reaches the caller). Aim: under 5%.
 *
 *   npm run bench:engine [-- --no-build] [-- --rounds 3] [-- --steps 30]
 *
 * BENCH_PORT picks vite preview's port. Writes bench/results/engine-browser-*.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { RANDOM_WEIGHTS_METADATA } from '../src/engine/load-model.ts';
import { checkpointParameters } from '../src/models/architecture.ts';
import { parseModelConfig } from '../src/models/config.ts';
import { randomBaseWeights } from '../src/models/init.ts';
import { writeSafetensors, type TensorToWrite } from '../src/models/safetensors.ts';
import { startHubServer } from '../test/support/hub-server.ts';
import type { HubModel } from '../e2e/harness/engine-api.ts';
import { call } from '../e2e/support/engine-harness.ts';
import { SAMPLE_QA } from '../e2e/support/text-examples.ts';
import { baseUrl, build, launch, ms, root, saveResult, startPreview, stats, stopPreview } from './lib.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 3);
const STEPS = arg('--steps', 30);
/** Steps left out of each run's median: the first ones warm the session up. */
const WARMUP_STEPS = 2;

const DEMO_DIR = `${root}public/models/demo`;
const demoFiles = Object.fromEntries(readdirSync(DEMO_DIR).map((name) => [name, new Uint8Array(readFileSync(`${DEMO_DIR}/${name}`))]));

/** A bigger Llama than the demo, with the demo's tokenizer and random F32 weights: about 21 MB of safetensors. */
function syntheticFiles(): Record<string, Uint8Array | string> {
  const raw = { ...(JSON.parse(new TextDecoder().decode(demoFiles['config.json'])) as Record<string, unknown>), hidden_size: 256, intermediate_size: 1024, num_hidden_layers: 4, head_dim: 64, torch_dtype: 'float32' };
  const config = parseModelConfig(raw);
  const weights = randomBaseWeights(config, 5);
  const tensors: Record<string, TensorToWrite> = {};
  for (const { name, shape } of checkpointParameters(config)) tensors[name] = { dtype: 'F32', shape, data: weights.get(name)! };
  return {
    'config.json': JSON.stringify(raw),
    'tokenizer.json': demoFiles['tokenizer.json']!,
    'tokenizer_config.json': demoFiles['tokenizer_config.json']!,
    'model.safetensors': writeSafetensors(tensors, { format: 'pt', [RANDOM_WEIGHTS_METADATA]: 'HF init, seed 5' }),
  };
}


async function freshHarness(page: Page): Promise<void> {
  await page.goto(`${baseUrl}e2e/harness/engine.html`);
  await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
  await call(page, 'listCache', 'worker'); // starts the worker, so that the timed load does not include it
}

const synthetic = syntheticFiles();
const hub = await startHubServer({ repos: { 'fiat-studio/demo': { main: demoFiles }, 'bench/synthetic': { main: synthetic } } });
build('e2e');
const server = await startPreview('dist-e2e', 'e2e');
const browser = await launch();
try {
  const page = await browser.newPage();
  const models: { name: string; model: HubModel; bytes: number }[] = [
    { name: 'demo (BF16, 336k parameters)', model: { endpoint: hub.endpoint, repo: 'fiat-studio/demo', revision: 'main' }, bytes: demoFiles['model.safetensors']!.byteLength },
    { name: 'synthetic (F32, 4 layers, hidden 256)', model: { endpoint: hub.endpoint, repo: 'bench/synthetic', revision: 'main' }, bytes: (synthetic['model.safetensors'] as Uint8Array).byteLength },
  ];
  const load = [];
  for (const { name, model, bytes } of models) {
    const first: number[] = [];
    const cached: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await freshHarness(page);
      await call(page, 'clearCache', 'worker');
      const fromHub = await call(page, 'loadHub', 'worker', model);
      if (fromHub.error) throw new Error(`${name}: ${fromHub.error.message}`);
      first.push(fromHub.ms);
      await freshHarness(page);
      hub.reset();
      const fromCache = await call(page, 'loadHub', 'worker', model);
      if (fromCache.error) throw new Error(`${name}: ${fromCache.error.message}`);
      if (hub.requests.length > 0) throw new Error(`${name}: the cached load made ${hub.requests.length} requests`);
      cached.push(fromCache.ms);
    }
    const row = { model: name, weightBytes: bytes, fromHub: stats(first), fromCache: stats(cached) };
    console.log(`load ${name}, ${(bytes / 1e6).toFixed(1)} MB of weights: from the Hub server median ${ms(row.fromHub.median)}, from the cache median ${ms(row.fromCache.median)} (${ROUNDS} rounds)`);
    load.push(row);
  }

  await freshHarness(page);
  const demo = models[0]!.model;
  for (const host of ['page', 'worker'] as const) {
    const loaded = await call(page, 'loadHub', host, demo);
    if (loaded.error) throw new Error(loaded.error.message);
  }
  const steps = { page: [] as number[], worker: [] as number[] };
  // The worker's runs timed twice: in the page (progress as it arrives) and inside the worker (the engine's own
  // elapsedMs), whose ratio is the messaging's cost alone, free of any difference between the two threads' speed.
  const workerInPage: number[] = [];
  const workerInside: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const host of ['page', 'worker'] as const) {
      const run = await call(page, 'trainText', host, 'wasm', SAMPLE_QA, STEPS, 64, { lr: 2e-3 });
      steps[host].push(...run.stepMs.slice(WARMUP_STEPS));
      if (host === 'worker') {
        workerInPage.push(run.stepMs.reduce((a, b) => a + b, 0));
        workerInside.push(run.msPerStep * STEPS);
      }
    }
  }
  const inPage = stats(steps.page);
  const inWorker = stats(steps.worker);
  const overhead = inWorker.mean / inPage.mean - 1;
  const messaging = workerInPage.reduce((a, b) => a + b, 0) / workerInside.reduce((a, b) => a + b, 0) - 1;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `train step, demo model, WASM EP 1 thread, batch 2, seq 64, ${ROUNDS} x ${STEPS} steps each way (first ${WARMUP_STEPS} of each run left out), in the page's clock:\n` +
      `  in-thread engine in the page: mean ${ms(inPage.mean)}, median ${ms(inPage.median)}\n` +
      `  worker engine:                mean ${ms(inWorker.mean)}, median ${ms(inWorker.median)}\n` +
      `  worker vs page (means): ${pct(overhead)}; worker in the page's clock vs the worker's own: ${pct(messaging)} (aim under 5%: ${Math.max(overhead, messaging) < 0.05 ? 'met' : 'NOT met'})`,
  );
  saveResult('engine-browser', { chromium: browser.version(), rounds: ROUNDS, steps: STEPS, warmupSteps: WARMUP_STEPS, load, trainStep: { inPage, inWorker, overhead, messaging } });
} finally {
  await browser.close();
  stopPreview(server);
  await hub.close();
}
