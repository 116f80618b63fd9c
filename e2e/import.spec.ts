import { expect, test } from '@playwright/test';
import { StudioPage } from './pages/studio-page.ts';

const row = (o: Record<string, unknown>) => JSON.stringify(o);
const jsonl = [
  row({ id: 'a', question: 'Who wrote it?', passage: 'It was written by Ann.', answer: 'Ann', label: 'yes', lang: 'en' }),
  '{"id": "b", "question": "broken line", ',
  row({ id: 'c', question: 'When?', passage: 'In 1999.', answer: '2001', label: 'no', lang: 'en' }),
  row({ id: 'd', passage: 'No question here.', answer: 'x', label: 'no' }),
  row({ id: 'e', question: 'Where?', passage: 'In Oslo.', answer: 'Oslo', label: 'yes', lang: 'nb', split: 'validation' }),
].join('\n');

test.describe('dataset import', () => {
  test('a JSONL with broken lines: errors by line and field, good rows kept, survives reload', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await page.getByRole('button', { name: 'Import dataset…' }).click();
    const dialog = studio.dialog('Import a dataset');
    await dialog.getByLabel(/Dataset file/).setInputFiles({ name: 'judged.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl) });

    const form = dialog.getByRole('form', { name: 'Map fields' });
    await expect(form).toContainText('Read JSON Lines: 4 rows');
    await expect(form.getByRole('radio', { name: /Classification/ })).toBeChecked();
    await expect(form.getByRole('combobox', { name: 'question *' })).toHaveValue('question');
    await form.getByLabel('Verbalizer for label yes').fill('supported');
    await form.getByLabel('Verbalizer for label no').fill('not supported');
    const issues = form.getByRole('list', { name: 'Rows left out' });
    await expect(issues.getByRole('listitem')).toHaveText([/^line 2: not valid JSON/, 'line 4, field question: missing']);
    await form.getByLabel('Task name').fill('Judged answers');
    await form.getByRole('button', { name: 'Import 3 examples' }).click();

    await expect(dialog.getByRole('status')).toContainText('Imported 3 examples as “Judged answers”');
    await expect(dialog.getByRole('list', { name: 'Rows left out' }).getByRole('listitem')).toHaveCount(2);
    await dialog.getByRole('button', { name: 'Done' }).click();

    await expect(studio.exampleCount()).toHaveText('3 of 3 examples');
    await expect(studio.taskPicker()).toHaveValue(/^imported:/);
    await expect(page.getByRole('contentinfo', { name: 'Task information' })).toContainText('Imported file judged.jsonl');
    expect(await studio.api((api) => api.task())).toMatchObject({ name: 'Judged answers', kind: 'classification', exampleCount: 3 });

    await studio.flushSave();
    await studio.reload();
    await expect(studio.exampleCount()).toHaveText('3 of 3 examples');
    await expect(studio.taskPicker().locator('option:checked')).toHaveText('Judged answers');

    await page.getByRole('button', { name: 'Delete this dataset…' }).click();
    await studio.dialog('Delete dataset').getByRole('button', { name: 'Delete dataset' }).click();
    await expect(studio.exampleCount()).toHaveText('750 of 750 examples');
    await expect(studio.taskPicker().getByRole('option', { name: 'Judged answers' })).toHaveCount(0);
  });

  test('a CSV is mapped by detected column names and imported as extractive QA', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await page.getByRole('button', { name: 'Import dataset…' }).click();
    const dialog = studio.dialog('Import a dataset');
    const csv = 'query;context;response;language\n"Capital, of Norway?";Oslo is the capital.;Oslo;en\nTallest?;"No height is given.";;en\n';
    await dialog.getByLabel(/Dataset file/).setInputFiles({ name: 'qa.txt', mimeType: 'text/plain', buffer: Buffer.from(csv) });
    const form = dialog.getByRole('form', { name: 'Map fields' });
    await expect(form.getByRole('radio', { name: /Extractive QA/ })).toBeChecked();
    await expect(form.getByRole('combobox', { name: 'passage *' })).toHaveValue('context');
    await expect(form.getByRole('combobox', { name: 'answer' })).toHaveValue('response');
    await expect(form).toContainText('2 rows will be imported.');
    await form.getByRole('button', { name: 'Import 2 examples' }).click();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(studio.exampleCount()).toHaveText('2 of 2 examples');
    await page.getByRole('combobox', { name: 'Label' }).selectOption({ label: 'no answer' });
    await expect(studio.exampleCount()).toHaveText('1 of 2 examples');
  });

  test('a file that is not JSONL or CSV gets one message and changes nothing', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const before = await studio.api((api) => api.project());
    await page.getByRole('button', { name: 'Import dataset…' }).click();
    const dialog = studio.dialog('Import a dataset');
    const input = dialog.getByLabel(/Dataset file/);
    await input.setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('Just some prose.\nNothing tabular here.\n') });
    await expect(dialog.getByRole('alert')).toHaveText(/neither JSON Lines nor CSV/);
    await input.setInputFiles({ name: 'empty.jsonl', mimeType: 'application/json', buffer: Buffer.from('') });
    await expect(dialog.getByRole('alert')).toHaveText('The file is empty.');
    await input.setInputFiles({ name: 'image.jsonl', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) });
    await expect(dialog.getByRole('alert')).toHaveText(/not a text file/);
    await expect(dialog.getByRole('form', { name: 'Map fields' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await studio.api((api) => api.project())).toEqual(before);
    await expect(studio.exampleCount()).toHaveText('750 of 750 examples');
  });
});
