import type { Page } from '@playwright/test';
import { StudioPage } from '../pages/studio-page.ts';
import { DEMO_REPO } from './hub-server-fixture.ts';

/**
 * The Tuning tab set up for a short run of the demo model from the local Hub: plain fine-tuning, 128 tokens, batch 2,
 * STEPS steps at lr 0.01 without warm-up, evaluation every 3 steps on 2 validation examples, a checkpoint every 2.
 * Tiny shapes: SwiftShader runs WebGPU 50-80x slower than a GPU.
 */
export const STEPS = 6;

export async function setUpTinyRun(page: Page, endpoint: string): Promise<void> {
  const studio = new StudioPage(page);
  await studio.goto();
  await page.getByRole('tab', { name: 'Tuning' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Tuning' });
  await studio.api((api, json) => api.loadSmallModel(JSON.parse(json) as { endpoint: string; repo: string; revision: string }), JSON.stringify({ endpoint, ...DEMO_REPO }));
  await panel.getByLabel('Method').selectOption('fine-tune');
  await panel.getByLabel('Sequence length (tokens)').selectOption('128');
  const fill = async (label: string, value: string) => {
    await panel.getByLabel(label, { exact: true }).fill(value);
  };
  await fill('Batch', '2');
  await fill('Micro-batch', '2');
  await fill('Steps', String(STEPS));
  await fill('Learning rate', '0.01');
  await fill('Warm-up steps', '0');
  await fill('Evaluate every (steps)', '3');
  await fill('Checkpoint every (steps)', '2');
  await fill('Validation examples', '2');
}

/** The run the Tuning tab shows, from the test API. */
export function tuningRun(page: Page) {
  return new StudioPage(page).api((api) => api.tuningRun());
}
