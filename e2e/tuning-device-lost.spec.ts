import type { Worker } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';
import { DEMO_REPO, expect, test } from './support/hub-server-fixture.ts';
import { STEPS, setUpTinyRun, tuningRun } from './support/tiny-run.ts';

/**
 * A lost GPU device in the middle of a run (WebGPU on SwiftShader, the demo model): the e2e build's test API makes the
 * tuning engine's worker destroy its device right after step 3 (device.destroy(): device.lost, reason 'destroyed').
 * The run pauses at its last checkpoint (step 2) and says so; the studio replaces the worker (onnxruntime-web keeps one
 * device per worker) and loads the model again; Resume continues from the checkpoint on the new device, and every
 * step's loss equals an uninterrupted run's.
 */
test('a run whose GPU device is lost pauses at its last checkpoint, and resumes on a new device with the uninterrupted losses', async ({ page, hub }) => {
  test.setTimeout(900_000);
  const engineWorkers: Worker[] = [];
  const closed: Worker[] = [];
  page.on('worker', (worker) => {
    if (!worker.url().includes('engine.worker')) return;
    engineWorkers.push(worker);
    worker.on('close', () => closed.push(worker));
  });
  await setUpTinyRun(page, hub.endpoint);
  const studio = new StudioPage(page);
  const panel = page.getByRole('tabpanel', { name: 'Tuning' });
  const progress = panel.locator('.run-progress');
  const train = panel.getByRole('button', { name: /^Train on \d+ examples$/ });

  // The uninterrupted run.
  await expect(train).toBeEnabled({ timeout: 120_000 });
  await train.click();
  await expect(progress).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  const whole = (await tuningRun(page))!;
  expect(whole.losses.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(engineWorkers).toHaveLength(1);

  // The same run again, its device lost right after step 3 (the checkpoints are at 2, 4 and 6).
  await studio.api((api) => api.loseTuningDevice(3));
  await train.click();
  await expect(progress).toHaveAttribute('data-status', 'device-lost', { timeout: 300_000 });
  await expect(progress.getByRole('status').first()).toHaveText('The GPU device was lost at step 3; the run paused at its last checkpoint (step 2).');
  const lost = (await tuningRun(page))!;
  expect(lost.losses.map((l) => l.step)).toEqual([1, 2, 3]);

  // A new worker with the model loaded again; the lost one is gone.
  await studio.api((api) => api.tuningEngineRecovered());
  expect(await studio.api((api) => api.smallModel())).toMatchObject({ status: 'loaded', label: `${DEMO_REPO.repo}@${DEMO_REPO.revision}` });
  expect(engineWorkers).toHaveLength(2);
  await expect.poll(() => closed.includes(engineWorkers[0]!)).toBe(true);

  await expect(panel.getByText(/stopped at step 3 of 6 \(device-lost\)/)).toBeVisible({ timeout: 60_000 });
  const resume = panel.getByRole('button', { name: 'Resume it' });
  await expect(resume).toBeEnabled({ timeout: 120_000 });
  await resume.click();
  await expect(progress).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  const resumed = (await tuningRun(page))!;
  // Steps 1-2 kept from before the loss, 3-6 trained on the new device from the checkpoint at 2: each once.
  expect(resumed.losses.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(resumed.evaluations).toEqual([0, 3, 6]);
  await expect(panel.getByTestId('run-step')).toContainText(`Step ${STEPS} of ${STEPS} on WebGPU`);
  // Every step's loss equals the uninterrupted run's (float32 on the GPU: to 1e-4).
  for (const { step, loss } of resumed.losses) expect(loss, `step ${step}`).toBeCloseTo(whole.losses[step - 1]!.loss, 4);
  expect(engineWorkers).toHaveLength(2);
});
