import { expect, test } from '@playwright/test';
import { ImportDialog } from './pages/import-dialog.ts';
import { StudioPage } from './pages/studio-page.ts';

const row = (o: Record<string, unknown>) => JSON.stringify(o);
const jsonl = [
  row({ id: 'a', question: 'Who wrote it?', passage: 'It was written by Ann.', answer: 'Ann', label: 'yes', lang: 'en' }),
  '{"id": "b", "question": "broken line", ',
  row({ id: 'c', question: 'When?', passage: 'In 1999.', answer: '2001', label: 'no', lang: 'en' }),
  row({ id: 'd', passage: 'No question here.', answer: 'x', label: 'no' }),
  row({ id: 'e', question: 'Where?', passage: 'In Oslo.', answer: 'Oslo', label: 'yes', lang: 'nb', split: 'validation' }),
].join('\n');

/** Values of the wrong type in JSONL (numbers, objects, a list, true) and one label outside the classes. */
const mixedTypes = [
  row({ id: 'a', question: 'Who wrote it?', passage: 'It was written by Ann.', answer: 'Ann', label: 'yes' }),
  row({ id: 'b', question: 'When?', passage: 'In 1999.', answer: '2001', label: 'no' }),
  row({ id: 'c', question: 42, passage: 'The answer is 42.', answer: '42', label: 'yes' }),
  row({ id: 12345, question: 'Which id?', passage: 'Numbers.', answer: '1', label: 'no' }),
  row({ id: 'e', question: 'Where?', passage: { text: 'In Oslo.' }, answer: 'Oslo', label: 'yes' }),
  row({ id: 'f', question: 'Is it?', passage: 'Perhaps.', answer: 'yes', label: 'maybe' }),
  row({ id: 'g', question: 'Who owns it?', passage: 'Bo owns it.', answer: ['Bo'], label: 'no' }),
  row({ id: 'h', question: 'How tall?', passage: 'It is 40 m.', answer: '40 m', label: 'yes', lang: 'en' }),
  row({ id: 'i', question: 'How old?', passage: 'It is new.', answer: 'old', label: 'no', split: true }),
].join('\n');

test.describe('dataset import', () => {
  test('a JSONL with broken lines: errors by line and field, good rows kept, survives reload', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const importer = await new ImportDialog(page).open();
    const { dialog } = importer;
    await importer.chooseFile('judged.jsonl', jsonl, 'application/x-ndjson');

    const form = importer.form();
    await expect(form).toContainText('Read JSON Lines: 4 rows');
    await expect(form.getByRole('radio', { name: /Classification/ })).toBeChecked();
    await expect(form.getByRole('combobox', { name: 'question *' })).toHaveValue('question');
    await form.getByLabel('Verbalizer for label yes').fill('supported');
    await form.getByLabel('Verbalizer for label no').fill('not supported');
    await expect(importer.rowsLeftOut()).toHaveText([/^line 2: not valid JSON/, 'line 4, field question: missing']);
    await form.getByLabel('Task name').fill('Judged answers');
    await form.getByRole('button', { name: 'Import 3 examples' }).click();

    await expect(dialog.getByRole('status')).toContainText('Imported 3 examples as “Judged answers”');
    await expect(importer.rowsLeftOut()).toHaveCount(2);
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

  test('a JSONL with values of the wrong type and a stray label: each bad value at its line and field', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const importer = await new ImportDialog(page).open();
    await importer.chooseFile('mixed.jsonl', mixedTypes);
    const form = importer.form();
    await expect(form.getByRole('radio', { name: /Classification/ })).toBeChecked();

    // The values found, with their counts; the rare one is not made a class unasked.
    await expect(importer.labelValue('yes')).toContainText('4 rows');
    await expect(importer.labelValue('no')).toContainText('4 rows');
    await expect(importer.labelValue('maybe')).toContainText('1 row');
    await expect(importer.countsAs('yes')).toHaveValue('class');
    await expect(importer.countsAs('maybe')).toHaveValue('left out');
    await expect(form.getByLabel('Verbalizer for label yes')).toHaveValue('yes');
    await expect(form.getByLabel('Verbalizer for label no')).toHaveValue('no');

    await expect(importer.rowsLeftOut()).toHaveText([
      'line 3, field question: must be text, found the number 42',
      'line 4, field id: must be text, found the number 12345',
      'line 5, field passage: must be text, found an object',
      /^line 6, field label: "maybe" is not one of the task's labels \(yes, no\)/,
      'line 7, field answer: must be text, found a list',
      'line 9, field split: must be text, found true',
    ]);
    await expect(form.getByRole('button', { name: 'Import 3 examples' })).toBeEnabled();

    // Mapped by the user: the rows with "maybe" count as "no", and no class "maybe" is made.
    await importer.countsAs('maybe').selectOption({ label: 'class no' });
    await expect(importer.rowsLeftOut()).toHaveCount(5);
    await expect(form.getByLabel('Verbalizer for label maybe')).toHaveCount(0);
    await form.getByRole('button', { name: 'Import 4 examples' }).click();
    await expect(importer.dialog.getByRole('status')).toContainText('Imported 4 examples');
    await importer.dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('combobox', { name: 'Label' }).getByRole('option')).toHaveText(['all', 'yes', 'no']);
    await page.getByRole('combobox', { name: 'Label' }).selectOption({ label: 'no' });
    await expect(studio.exampleCount()).toHaveText('2 of 4 examples');
  });

  test('a CSV is mapped by detected column names and imported as extractive QA', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const importer = await new ImportDialog(page).open();
    const csv = 'query;context;response;language\n"Capital, of Norway?";Oslo is the capital.;Oslo;en\nTallest?;"No height is given.";;en\n';
    await importer.chooseFile('qa.txt', csv, 'text/plain');
    const form = importer.form();
    await expect(form.getByRole('radio', { name: /Extractive QA/ })).toBeChecked();
    await expect(form.getByRole('combobox', { name: 'passage *' })).toHaveValue('context');
    await expect(form.getByRole('combobox', { name: 'answer' })).toHaveValue('response');
    await expect(form).toContainText('2 rows will be imported.');
    await form.getByRole('button', { name: 'Import 2 examples' }).click();
    await importer.dialog.getByRole('button', { name: 'Done' }).click();
    await expect(studio.exampleCount()).toHaveText('2 of 2 examples');
    await page.getByRole('combobox', { name: 'Label' }).selectOption({ label: 'no answer' });
    await expect(studio.exampleCount()).toHaveText('1 of 2 examples');
  });

  test('a file that is not JSONL or CSV gets one message and changes nothing', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const before = await studio.api((api) => api.project());
    const importer = await new ImportDialog(page).open();
    const { dialog } = importer;
    await importer.chooseFile('notes.csv', 'Just some prose.\nNothing tabular here.\n', 'text/csv');
    await expect(dialog.getByRole('alert')).toHaveText(/neither JSON Lines nor CSV/);
    await importer.chooseFile('empty.jsonl', '', 'application/json');
    await expect(dialog.getByRole('alert')).toHaveText('The file is empty.');
    await importer.chooseFile('image.jsonl', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'image/png');
    await expect(dialog.getByRole('alert')).toHaveText(/not a text file/);
    await expect(dialog.getByRole('form', { name: 'Map fields' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await studio.api((api) => api.project())).toEqual(before);
    await expect(studio.exampleCount()).toHaveText('750 of 750 examples');
  });
});
