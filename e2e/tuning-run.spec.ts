import { expect, test } from './support/hub-server-fixture.ts';
import { STEPS, setUpTinyRun as setUp, tuningRun as run } from './support/tiny-run.ts';

/**
 * The Tuning tab's run on the demo model in the worker (WebGPU on SwiftShader here): a short plain fine-tuning run
 * trains and evaluates with its curves drawn; a second run with the same settings, paused, resumed after a reload from
 * its checkpoint, makes the first run's losses step for step (tiny shapes: support/tiny-run.ts).
 */
test.describe('Tuning tab: the run', () => {
  test('fine-tunes the demo model with its curves, then a paused run resumed after a reload makes the same losses', async ({ page, hub }) => {
    test.setTimeout(900_000);
    await setUp(page, hub.endpoint);
    const panel = page.getByRole('tabpanel', { name: 'Tuning' });
    const train = panel.getByRole('button', { name: /^Train on \d+ examples$/ });
    await expect(train).toBeEnabled({ timeout: 120_000 });
    await train.click();
    await expect(panel.locator('.run-progress')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
    const whole = (await run(page))!;
    expect(whole.losses.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(whole.evaluations).toEqual([0, 3, 6]);
    await expect(panel.getByRole('img', { name: /^Training loss: 6 steps; loss at step 6/ })).toHaveAttribute('data-points', '6');
    await expect(panel.getByRole('img', { name: /^Validation metrics: 3 evaluations; at step 6: accuracy \d/ })).toHaveAttribute('data-points', '3');
    await expect(panel.getByTestId('run-step')).toContainText(`Step ${STEPS} of ${STEPS} on WebGPU`);

    // The same run again, paused once a few steps are in.
    await train.click();
    await expect.poll(async () => (await run(page))?.losses.length ?? 0, { timeout: 300_000 }).toBeGreaterThanOrEqual(2);
    await panel.getByRole('button', { name: 'Pause' }).click();
    await expect(panel.locator('.run-progress')).toHaveAttribute('data-status', 'paused', { timeout: 120_000 });
    const paused = (await run(page))!;
    expect(paused.losses.length).toBeLessThan(STEPS);
    for (const { step, loss } of paused.losses) expect(loss, `step ${step} before the pause`).toBeCloseTo(whole.losses[step - 1]!.loss, 4);

    // A reload: the studio offers to resume the paused run from its checkpoint.
    await page.reload();
    await setUp(page, hub.endpoint);
    const resume = panel.getByRole('button', { name: 'Resume it' });
    await expect(panel.getByText(/stopped at step \d of 6 \(paused\)/)).toBeVisible({ timeout: 60_000 });
    await expect(resume).toBeEnabled({ timeout: 120_000 });
    await resume.click();
    await expect(panel.locator('.run-progress')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
    const resumed = (await run(page))!;
    const last = resumed.losses.at(-1)!;
    expect(last.step).toBe(STEPS);
    // Every step's loss equals the uninterrupted run's (float32 on the GPU: to 1e-4).
    for (const { step, loss } of resumed.losses) expect(loss, `step ${step}`).toBeCloseTo(whole.losses[step - 1]!.loss, 4);
  });
});
