import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StudioPage } from './pages/studio-page.ts';
import { expectNoSeriousViolations } from './support/axe.ts';
import { DEMO_REPO, expect, test } from './support/hub-server-fixture.ts';

/** A safetensors file of one float32 tensor of `shape` (zeros), as PEFT's adapter_model.safetensors is laid out. */
function safetensors(name: string, shape: readonly number[]): Buffer {
  const bytes = shape.reduce((a, b) => a * b, 1) * 4;
  let header = JSON.stringify({ [name]: { dtype: 'F32', shape, data_offsets: [0, bytes] } });
  header += ' '.repeat((8 - (header.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, Buffer.from(header), Buffer.alloc(bytes)]);
}

test.describe('Tuning tab: runs, predictions, adapter', () => {
  test('a saved run is listed, reopens with its metrics and predictions, and travels in a project export', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    // 12 validation examples of the sample task: 6 predicted right, 6 wrong (seeded-run.ts).
    await studio.api((api) => api.seedRun('seeded-run-1', 12));
    await page.getByRole('tab', { name: 'Tuning' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Tuning' });
    const runs = panel.getByRole('table', { name: 'Saved runs' });
    await expect(runs.getByRole('row')).toHaveCount(2);
    await expect(runs.getByRole('row').nth(1)).toContainText(/done · step 4 of 4.*fiat-studio\/demo@main.*Accuracy 50\.0/);

    await runs.getByRole('button', { name: 'Reopen run seeded-run-1' }).click();
    const metrics = panel.getByRole('table', { name: 'Metrics at step 4' });
    await expect(metrics.getByRole('row', { name: /^Overall/ })).toContainText('50.0');
    await expect(metrics.getByRole('row', { name: /^Overall/ })).toContainText('6 of 12 right');
    await expect(metrics.getByRole('row', { name: /^Macro average/ })).toBeVisible();
    const predictions = panel.getByRole('list', { name: 'Predictions' });
    const filters = panel.getByRole('group', { name: 'Prediction filters' });
    await expect(filters).toContainText('12 of 12 predictions');
    await expect(predictions.locator('[data-correct="false"]').first()).toContainText('✗ wrong');
    await expectNoSeriousViolations(page, 'the Tuning tab with a reopened run');

    await filters.getByLabel('Wrong only').check();
    await expect(filters).toContainText('6 of 12 predictions');
    await expect(predictions.locator('[data-correct="true"]')).toHaveCount(0);
    // Choosing a prediction selects its example in the studio.
    const first = predictions.getByRole('button').first();
    const id = (await first.locator('.example-id').textContent()) ?? '';
    await first.click();
    await expect.poll(() => studio.api((api) => api.project().settings.selectedExampleId)).toBe(id);

    // The project export carries the run; deleting it and importing the file brings it back, reopenable after reload.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export project' }).click()]);
    const text = await readFile(await download.path(), 'utf8');
    const file = JSON.parse(text) as { schemaVersion: number; runs: { id: string; evaluations: unknown[] }[] };
    expect(file.schemaVersion).toBe(6);
    expect(file.runs.map((r) => [r.id, r.evaluations.length])).toEqual([['seeded-run-1', 1]]);

    await runs.getByRole('button', { name: 'Delete run seeded-run-1…' }).click();
    await studio.dialog('Delete a run').getByRole('button', { name: 'Delete run' }).click();
    await expect(panel.getByText('No run of this task yet.')).toBeVisible();
    await expect(metrics).toHaveCount(0);

    await page.getByLabel('Project file to import').setInputFiles({ name: 'project.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    const confirm = studio.dialog('Import project');
    await expect(confirm).toContainText('1 tuning runs');
    await confirm.getByRole('button', { name: 'Replace project' }).click();
    await expect(runs.getByRole('row')).toHaveCount(2);
    expect(await studio.api((api) => api.runIds())).toEqual(['seeded-run-1']);

    await studio.reload();
    await page.getByRole('tab', { name: 'Tuning' }).click();
    await runs.getByRole('button', { name: 'Reopen run seeded-run-1' }).click();
    await expect(metrics.getByRole('row', { name: /^Overall/ })).toContainText('6 of 12 right');
  });

  test('an adapter for another base is refused with the engine’s message where it was imported; the tuned one exports as PEFT files and imports back', async ({ page, hub }) => {
    test.slow();
    const studio = new StudioPage(page);
    await studio.goto();
    await page.getByRole('tab', { name: 'Tuning' }).click();
    const section = page.getByRole('region', { name: 'Adapter (PEFT)' });
    const config = {
      base_model_name_or_path: 'someone/another-model', revision: 'main', peft_type: 'LORA', task_type: 'CAUSAL_LM',
      r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['q_proj', 'v_proj'], bias: 'none',
    };
    const files = [
      { name: 'adapter_config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) },
      { name: 'adapter_model.safetensors', mimeType: 'application/octet-stream', buffer: safetensors('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight', [8, 3]) },
    ];
    const input = section.getByLabel('The two files');

    // Without a model there is nothing to check it against.
    await input.setInputFiles(files);
    await expect(section.getByRole('alert')).toHaveText(/Load the small model first/);
    // Export without a prepared training says so plainly.
    await section.getByRole('button', { name: 'Export the tuned adapter' }).click();
    await expect(section.getByRole('alert').filter({ hasText: 'There is no tuned adapter to export: no training is prepared in this tab.' })).toBeVisible();

    const source = JSON.stringify({ endpoint: hub.endpoint, ...DEMO_REPO });
    await studio.api((api, json) => api.loadSmallModel(JSON.parse(json) as { endpoint: string; repo: string; revision: string }), source);
    await input.setInputFiles(files);
    const refusal = section.getByRole('alert').filter({ hasText: 'Checking the adapter against' });
    await expect(refusal).toContainText('has shape [8, 3]', { timeout: 60_000 });
    await expect(refusal).toContainText('is it an adapter for another base model?');
    await expect(section.getByRole('group', { name: 'Imported adapter' })).toHaveCount(0);

    // With a prepared training the adapter exports as PEFT's two files, naming the base and its revision, and imports back.
    await studio.api((api) => api.prepareTinyTraining());
    const downloads = Promise.all([page.waitForEvent('download'), page.waitForEvent('download', (d) => d.suggestedFilename() === 'adapter_model.safetensors')]);
    await section.getByRole('button', { name: 'Export the tuned adapter' }).click();
    const [configDownload, weightsDownload] = await downloads;
    expect(configDownload.suggestedFilename()).toBe('adapter_config.json');
    const exported = JSON.parse(await readFile(await configDownload.path(), 'utf8')) as Record<string, unknown>;
    expect(exported).toMatchObject({ base_model_name_or_path: DEMO_REPO.repo, revision: DEMO_REPO.revision, peft_type: 'LORA', r: 2, target_modules: ['q_proj', 'v_proj'] });
    await expect(section).toContainText(`Exported the adapter of ${DEMO_REPO.repo}@${DEMO_REPO.revision}.`);
    await input.setInputFiles([await configDownload.path(), await weightsDownload.path()].map((path, i) => ({ name: files[i]!.name, mimeType: files[i]!.mimeType, buffer: readFileSync(path) })));
    await expect(section.getByRole('group', { name: 'Imported adapter' })).toContainText(`tuned on ${DEMO_REPO.repo}@${DEMO_REPO.revision}`);
    await expect(refusal).toHaveCount(0);
  });
});
