import { expect, test } from '@playwright/test';

// Later work (WebGPU training, placement checks) relies on WebGPU in the test browser.
test('navigator.gpu.requestAdapter() returns an adapter', async ({ page }) => {
  await page.goto('/');
  const adapter = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return { error: 'navigator.gpu is missing' };
    const found = await navigator.gpu.requestAdapter();
    if (!found) return { error: 'requestAdapter() returned null' };
    return { features: [...found.features], maxBufferSize: found.limits.maxBufferSize };
  });
  expect(adapter).not.toHaveProperty('error');
  expect(adapter).toHaveProperty('maxBufferSize');
});
