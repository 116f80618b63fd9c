import type { Page } from '@playwright/test';
import type { EngineHarness } from '../harness/engine-api.ts';

/** Opens the engine harness page (e2e/harness/engine.ts) and waits for window.engineHarness. */
export async function openHarness(page: Page): Promise<void> {
  await page.goto('/e2e/harness/engine.html');
  await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
}

/** Calls a method of window.engineHarness in the page; arguments and result cross as structured clones. */
export const call = <K extends keyof EngineHarness>(page: Page, method: K, ...args: Parameters<EngineHarness[K]>) =>
  page.evaluate(
    ([m, a]) => (window.engineHarness![m] as (...x: unknown[]) => Promise<unknown>)(...a),
    [method, args] as const,
  ) as ReturnType<EngineHarness[K]>;
