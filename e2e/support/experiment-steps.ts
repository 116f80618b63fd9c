import type { Locator, Page } from '@playwright/test';
import type { StudioPage } from '../pages/studio-page.ts';
import { averagePrecision } from './average-precision.ts';
import { DEMO_REPO, expect } from './hub-server-fixture.ts';
import { FIAT_VALIDATION_COUNT } from './fiat-dataset.ts';

/**
 * Steps the Experiments e2e specs share: the demo model loaded from the local Hub, the Tuning tab's settings every
 * run of an experiment takes, the results table's cells, and a tuned run's metrics computed from the predictions the
 * page exports (apart from the studio's fiat/metrics, so the table is checked against an independent computation).
 */

export async function loadDemo(studio: StudioPage, endpoint: string): Promise<void> {
  await studio.api((api, json) => api.loadSmallModel(JSON.parse(json) as { endpoint: string; repo: string; revision: string }), JSON.stringify({ endpoint, ...DEMO_REPO }));
}

/**
 * The Tuning tab's settings: no chat template, 128 tokens, LoRA r 4 on q and v (not read by a run that trains all
 * weights), batch 2, learning rate 0.01 constant, `steps` steps evaluated and checkpointed every `every`.
 */
export async function fillTuning(page: Page, { steps, every }: { steps: number; every: number }): Promise<void> {
  await page.getByRole('tab', { name: 'Tuning' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Tuning' });
  await panel.getByRole('checkbox', { name: /^Apply the model’s chat template/ }).uncheck();
  await panel.getByLabel('Sequence length (tokens)').selectOption('128');
  const fill = (label: string, value: number | string) => panel.getByLabel(label, { exact: true }).fill(String(value));
  await fill('LoRA rank r', 4);
  await fill('LoRA alpha', 8);
  for (const target of ['q', 'k', 'v', 'o', 'gate', 'up', 'down']) await panel.getByRole('checkbox', { name: target, exact: true }).setChecked(['q', 'v'].includes(target));
  await fill('Batch', 2);
  await fill('Micro-batch', 2);
  await fill('Steps', steps);
  await fill('Learning rate', '0.01');
  await fill('Warm-up steps', 0);
  await panel.getByLabel('Decay').selectOption('constant');
  await fill('Evaluate every (steps)', every);
  await fill('Checkpoint every (steps)', every);
  await fill('Validation examples', FIAT_VALIDATION_COUNT);
}

/** Ticks exactly these methods (by the paper's names) and the current I_τ in the queue builder; the rest unticked. */
export async function tickMethods(builder: Locator, names: readonly string[]): Promise<void> {
  for (const box of await builder.getByRole('checkbox').all()) {
    const name = (await box.evaluate((b) => b.closest('label')?.textContent ?? '')).trim();
    if (await box.isEnabled()) await box.setChecked(names.includes(name) || name === 'current');
  }
}

/** One run's file of the predictions export (JSON). */
export interface PredictionRow {
  exampleId: string;
  lang: string;
  gold: string;
  predictedVerbalizer: string | null;
  probabilities: { verbalizer: string; probability: number }[];
}

export interface RunPredictions {
  run: string;
  rows: PredictionRow[];
}

/**
 * A tuned run's accuracy and AUC-PR ("supported" is the positive label) from its predictions, checking on the way
 * that each prediction is the most probable label, as a tuned model's is.
 */
export function tunedRunMetrics(run: RunPredictions): { accuracy: number; averagePrecision: number } {
  expect(run.rows, run.run).toHaveLength(FIAT_VALIDATION_COUNT);
  for (const row of run.rows) {
    const best = row.probabilities.reduce((a, p) => (p.probability > a.probability ? p : a));
    expect(row.predictedVerbalizer, `${run.run} ${row.exampleId}`).toBe(best.verbalizer);
  }
  const accuracy = run.rows.filter((r) => r.predictedVerbalizer === r.gold).length / run.rows.length;
  const ap = averagePrecision(run.rows.map((r) => ({ positive: r.gold === 'supported', score: r.probabilities.find((p) => p.verbalizer === 'supported')!.probability })));
  return { accuracy, averagePrecision: ap! };
}

/** The results table's cell of a method and metric (overall), its text and its raw mean. */
export async function resultCell(table: Locator, method: string, metric: string): Promise<{ text: string; mean: number | null; n: number }> {
  const td = table.locator(`tr[data-method="${method}"] td[data-metric="${metric}"][data-aggregate="overall"]`);
  await expect(td).toHaveCount(1);
  const raw = await td.getAttribute('data-mean');
  return { text: (await td.textContent()) ?? '', mean: raw === null ? null : Number(raw), n: Number(await td.getAttribute('data-n')) };
}
