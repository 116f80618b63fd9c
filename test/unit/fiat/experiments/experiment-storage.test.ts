// The experiments' repository on fake-indexeddb: rows validated on read, results by key, deleting a queue keeps results.
import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { itemsFor, type Experiment } from '../../../../src/fiat/experiments/queue.ts';
import { expandGrid } from '../../../../src/fiat/experiments/spec.ts';
import { ExperimentDatabase } from '../../../../src/fiat/storage/experiment-db.ts';
import { createExperimentRepository } from '../../../../src/fiat/storage/experiment-repository.ts';
import { accuracyEvaluation, final, grid, traitsOf } from './fixtures.ts';

let dbCount = 0;

async function experiment(id: string, createdAt: number, taskId = 'task'): Promise<Experiment> {
  return { id, taskId, name: id, createdAt, updatedAt: createdAt, items: await itemsFor(await expandGrid(grid(), traitsOf)) };
}

test('experiments are listed per task newest first; a damaged row is skipped, not trusted', async () => {
  const db = new ExperimentDatabase(`experiments-storage-${dbCount++}`);
  const repo = createExperimentRepository(db);
  await repo.saveExperiment(await experiment('a', 1));
  await repo.saveExperiment(await experiment('b', 2));
  await repo.saveExperiment(await experiment('c', 3, 'other'));
  await db.experiments.put({ id: 'broken', taskId: 'task', createdAt: 9, items: [{ status: 'flying' }] }, 'broken');
  expect((await repo.listExperiments('task')).map((e) => e.id)).toEqual(['b', 'a']);
  expect(await repo.getExperiment('broken')).toBeUndefined();
  const a = await repo.getExperiment('a');
  expect(a?.items).toEqual((await experiment('a', 1)).items);
  await repo.deleteExperiment('a');
  expect((await repo.listExperiments('task')).map((e) => e.id)).toEqual(['b']);
});

test('results are found by key; one that is not an evaluation is skipped; deleting an experiment keeps them', async () => {
  const db = new ExperimentDatabase(`experiments-storage-${dbCount++}`);
  const repo = createExperimentRepository(db);
  const e = await experiment('a', 1);
  await repo.saveExperiment(e);
  const result = { key: 'k1', taskId: 'task', runId: 'run-1', evaluations: final(accuracyEvaluation(1, 2)), finishedAt: 5 };
  await repo.saveResult(result);
  await db.results.put({ key: 'k2', taskId: 'task', runId: null, evaluations: [{ step: 0, evaluation: { accuracy: 1 } }], finishedAt: 6 }, 'k2');
  expect(await repo.getResult('k1')).toEqual(result);
  expect(await repo.finishedKeys(['k1', 'k2', 'k3'])).toEqual(new Set(['k1']));
  await expect(repo.saveResult({ ...result, key: 'k4', evaluations: [{ step: 0, evaluation: {} as never }] })).rejects.toThrow();
  await repo.deleteExperiment('a');
  expect((await repo.getResults(['k1'])).get('k1')).toEqual(result);
});

test('a project import merges: experiments by id and results by key replace their namesakes, the others stay', async () => {
  const db = new ExperimentDatabase(`experiments-storage-${dbCount++}`);
  const repo = createExperimentRepository(db);
  const result = (key: string, finishedAt: number) => ({ key, taskId: 'task', runId: 'run-1', evaluations: final(accuracyEvaluation(1, 2)), finishedAt });
  await repo.saveExperiment(await experiment('here', 1));
  await repo.saveExperiment(await experiment('both', 2));
  await repo.saveResult(result('k-here', 1));
  await repo.saveResult(result('k-both', 1));
  const imported = { ...(await experiment('both', 2)), name: 'from the file', updatedAt: 77 };
  await repo.mergeExperiments([imported, await experiment('file', 3, 'other')], [result('k-both', 2), result('k-file', 3)]);
  expect((await repo.listAllExperiments()).map((e) => [e.id, e.name])).toEqual([['here', 'here'], ['both', 'from the file'], ['file', 'file']]);
  expect((await repo.getExperiment('both'))?.updatedAt).toBe(77);
  const results = await repo.getResults(['k-here', 'k-both', 'k-file']);
  expect([...results.values()].map((r) => [r.key, r.finishedAt])).toEqual([['k-here', 1], ['k-both', 2], ['k-file', 3]]);
  // All or nothing: an invalid entry puts none of the others.
  await expect(repo.mergeExperiments([await experiment('new', 4)], [{ ...result('k-bad', 4), evaluations: [{ step: 0, evaluation: {} as never }] }])).rejects.toThrow();
  expect(await repo.getExperiment('new')).toBeUndefined();
});
