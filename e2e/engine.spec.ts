import { expect, test } from '@playwright/test';
import { relativeError } from '../test/support/relative-error.ts';
import { call, openHarness as harness } from './support/engine-harness.ts';

// The engine in Chromium (WebGPU on SwiftShader): the same LoRA train steps through the Engine interface on
// onnxruntime-web's WebGPU EP in the Web Worker and its WASM EP in the page, every node on the GPU, and a lost GPU
// device reported as an EngineError instead of a hang. The harness page is e2e/harness/engine.ts.

const STEPS = 20;

for (const graphCapture of [false, true]) {
  const name = graphCapture ? 'the WebGPU EP with graph capture in the worker' : 'the WebGPU EP in the worker';
  test(`${STEPS} LoRA train steps on ${name} match the in-page engine on the WASM EP within 1e-4 relative`, async ({ page }) => {
    test.setTimeout(240_000);
    await harness(page);
    const wasm = await call(page, 'train', 'page', 'wasm', STEPS);
    const webgpu = await call(page, 'train', 'worker', 'webgpu', STEPS, { graphCapture });
    expect(webgpu.graphCapture).toBe(graphCapture);
    expect(webgpu.losses).toHaveLength(STEPS);
    const lossDiff = Math.max(...webgpu.losses.map((l, i) => Math.abs(l - wasm.losses[i]!) / Math.abs(wasm.losses[i]!)));
    const adapterDiff = relativeError(webgpu.adapter, wasm.adapter);
    console.log(
      `${name} vs WASM over ${STEPS} steps (${webgpu.trainStepNodes} nodes): losses max rel diff ${lossDiff.toExponential(2)}, ` +
        `final adapter max rel diff ${adapterDiff.toExponential(2)}; loss ${wasm.losses[0]!.toFixed(4)} -> ${wasm.losses.at(-1)!.toFixed(4)}; ` +
        `ms/step WebGPU (SwiftShader) ${webgpu.msPerStep.toFixed(0)}, WASM ${wasm.msPerStep.toFixed(1)}`,
    );
    expect(wasm.losses.at(-1)!).toBeLessThan(0.9 * wasm.losses[0]!); // it trains
    expect(lossDiff).toBeLessThan(1e-4);
    expect(adapterDiff).toBeLessThan(1e-4);
  });
}

test('a step in micro-batches on WebGPU (gradient accumulation, with graph capture) equals the whole batch on WASM', async ({ page }) => {
  test.setTimeout(240_000);
  await harness(page);
  const whole = await call(page, 'train', 'page', 'wasm', 5);
  const micro = await call(page, 'train', 'worker', 'webgpu', 5, { graphCapture: true, microBatchSize: 1 });
  const lossDiff = Math.max(...micro.losses.map((l, i) => Math.abs(l - whole.losses[i]!) / Math.abs(whole.losses[i]!)));
  console.log(`micro-batches of 1 on WebGPU vs batches of 2 on WASM: losses max rel diff ${lossDiff.toExponential(2)}, adapter ${relativeError(micro.adapter, whole.adapter).toExponential(2)}`);
  expect(lossDiff).toBeLessThan(1e-4);
  expect(relativeError(micro.adapter, whole.adapter)).toBeLessThan(1e-4);
});

test('every node of the train step is placed on the WebGPU EP (ORT verbose session log)', async ({ page }) => {
  test.setTimeout(120_000);
  await harness(page);
  const probe = await call(page, 'placement');
  console.log(`placement: ${JSON.stringify(probe.nodesByProvider)} (graph: ${probe.trainStepNodes} nodes before ORT's optimizations)`);
  expect(probe.nodesByProvider).not.toBeNull();
  const providers = Object.keys(probe.nodesByProvider!);
  expect(providers, JSON.stringify(probe.nodeNames)).toEqual(['JsExecutionProvider']);
  expect(probe.nodesByProvider!['JsExecutionProvider']).toBeGreaterThan(100);
});

test('a lost GPU device fails the pending and later runs with an EngineError of kind device-lost instead of hanging', async ({ page }) => {
  test.setTimeout(120_000);
  await harness(page);
  const probe = await call(page, 'deviceLoss');
  console.log(`device loss: ${JSON.stringify(probe)}`);
  expect(probe.later).toMatchObject({ kind: 'device-lost' });
  expect((probe.later as { message: string }).message).toContain('WebGPU device was lost (destroyed');
  expect(probe.pending).not.toBe('timeout');
});
