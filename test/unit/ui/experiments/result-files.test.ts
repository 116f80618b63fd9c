// The predictions' files of the results exports: one CSV and one JSON per finished run, from its final evaluation.
import { expect, test } from 'vitest';
import { itemsFor, type FinishedRun } from '../../../../src/fiat/experiments/queue.ts';
import { expandGrid } from '../../../../src/fiat/experiments/spec.ts';
import { allPredictionFiles, fileSafe, runFileName, runPredictionFiles } from '../../../../src/ui/features/experiments/results/result-files.ts';
import { evaluation, grid, traitsOf } from '../../fiat/experiments/fixtures.ts';
import { supportTask } from './task-fixture.ts';

const task = supportTask([
  { id: 'e0', split: 'validation', lang: 'fi', question: 'Is "it", really?', passage: 'p', answer: 'a', label: '1' },
  { id: 'e1', split: 'validation', lang: 'fi', question: 'Second', passage: 'p', answer: 'a', label: '1' },
]);

async function finished(): Promise<FinishedRun[]> {
  const items = await itemsFor(await expandGrid(grid({ methods: ['icl', 'fiat'], seeds: [0] }), traitsOf));
  return items.map((item) => ({
    item,
    spec: item.spec,
    evaluations:
      item.spec.method === 'fiat'
        ? [
            { step: 0, evaluation: evaluation([{ id: 'e0', lang: 'fi', correct: false }]) },
            { step: 20, evaluation: evaluation([{ id: 'e0', lang: 'fi', correct: true }, { id: 'e1', lang: 'fi', correct: false }]) },
          ]
        : [],
  }));
}

test('file names keep letters, digits, dots, dashes and underscores', () => {
  expect(fileSafe('FIAT · seed 0 · 100 ex · I_τ v1')).toBe('FIAT-seed-0-100-ex-I_-v1');
  expect(fileSafe('///')).toBe('experiment');
});

test("a run's predictions are its final evaluation's, as CSV and JSON; a run without evaluations has none", async () => {
  const [icl, fiat] = await finished();
  expect(runPredictionFiles(icl!, task)).toBeNull();
  const files = runPredictionFiles(fiat!, task)!;
  const lines = files.csv.split('\r\n');
  // These predictions carry no label probabilities (fixtures.ts), so no p(label) columns.
  expect(lines[0]).toBe('example_id,lang,question,gold,output,right');
  expect(lines.slice(1)).toEqual(['e0,fi,"Is ""it"", really?",1,supported,true', 'e1,fi,Second,1,not supported,false']);
  const json = JSON.parse(files.json) as { format: string; run: string; rows: { exampleId: string }[] };
  expect(json.format).toBe('fiat-studio-predictions');
  expect(json.run).toBe('FIAT · seed 0 · 100 ex · I_τ v1');
  expect(json.rows.map((r) => r.exampleId)).toEqual(['e0', 'e1']);
});

test('every run: one CSV and one JSON each, named by queue position and label', async () => {
  const runs = await finished();
  expect(runFileName(runs[1]!, 1)).toBe('02-FIAT-seed-0-100-ex-I_-v1');
  expect(Object.keys(allPredictionFiles(runs, task)).sort()).toEqual(['02-FIAT-seed-0-100-ex-I_-v1.csv', '02-FIAT-seed-0-100-ex-I_-v1.json']);
});
