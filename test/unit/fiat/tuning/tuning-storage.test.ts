import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { TuningDatabase } from '../../../../src/fiat/storage/tuning-db.ts';
import { createTuningRepository, type StoredRun } from '../../../../src/fiat/storage/tuning-repository.ts';
import { withTuningLock, type LockManagerLike } from '../../../../src/fiat/tuning/run-lock.ts';

let dbCount = 0;
const repository = () => createTuningRepository(new TuningDatabase(`tuning-test-${dbCount++}`));

function run(id: string, createdAt: number, taskId = 'xor_attriqa'): StoredRun {
  return {
    id,
    taskId,
    createdAt,
    updatedAt: createdAt,
    model: { label: 'fiat-studio/demo@main', repo: 'fiat-studio/demo', revision: 'main' },
    settings: { steps: 20 },
    tauVersion: 'tau-1',
    dataHash: 'abc',
    status: 'running',
    step: 3,
    totalSteps: 20,
    losses: [{ step: 1, loss: 2.5 }],
    evaluations: [{ step: 0, result: { accuracy: 0.5 } }],
  };
}

test('runs are saved, listed per task newest first, and a damaged row is skipped, not trusted', async () => {
  const db = new TuningDatabase(`tuning-test-${dbCount++}`);
  const repo = createTuningRepository(db);
  await repo.saveRun(run('a', 1));
  await repo.saveRun(run('b', 2));
  await repo.saveRun(run('c', 3, 'xquad_xling'));
  await db.runs.put({ id: 'broken', taskId: 'xor_attriqa', createdAt: 4 }, 'broken');
  expect((await repo.listRuns('xor_attriqa')).map((r) => r.id)).toEqual(['b', 'a']);
  expect(await repo.getRun('broken')).toBeUndefined();
  expect(await repo.getRun('a')).toEqual(run('a', 1));
});

test('all runs are listed for an export; replacing them (an import) drops the old runs and every checkpoint', async () => {
  const repo = repository();
  await repo.saveRun(run('a', 1));
  await repo.saveRun(run('c', 3, 'xquad_xling'));
  await repo.saveCheckpoint('a', { step: 3, state: new Uint8Array([1]) });
  expect((await repo.listAllRuns()).map((r) => r.id)).toEqual(['c', 'a']);
  await repo.replaceRuns([run('x', 5), run('y', 6, 'xquad_xling')]);
  expect((await repo.listAllRuns()).map((r) => r.id)).toEqual(['y', 'x']);
  expect(await repo.latestCheckpoint('a')).toBeUndefined();
  // A run that does not validate replaces nothing.
  await expect(repo.replaceRuns([run('z', 7), { ...run('bad', 8), status: 'flying' } as unknown as StoredRun])).rejects.toThrow();
  expect((await repo.listAllRuns()).map((r) => r.id)).toEqual(['y', 'x']);
});

test('the newest two checkpoints of a run are kept; deleting the run deletes them', async () => {
  const repo = repository();
  await repo.saveRun(run('a', 1));
  for (const step of [2, 4, 6]) await repo.saveCheckpoint('a', { step, state: new Uint8Array([step]) });
  await repo.saveCheckpoint('b', { step: 9, state: new Uint8Array([9]) });
  expect(await repo.latestCheckpoint('a')).toEqual({ step: 6, state: new Uint8Array([6]) });
  await repo.deleteRun('a');
  expect(await repo.latestCheckpoint('a')).toBeUndefined();
  expect(await repo.latestCheckpoint('b')).toMatchObject({ step: 9 });
});

test('a diverged run drops its checkpoints from a step on, and says which step is left', async () => {
  const repo = repository();
  for (const step of [4, 6]) await repo.saveCheckpoint('a', { step, state: new Uint8Array([step]) });
  await repo.saveCheckpoint('b', { step: 6, state: new Uint8Array([6]) });
  expect(await repo.discardCheckpointsFrom('a', 6)).toBe(4);
  expect(await repo.latestCheckpoint('a')).toEqual({ step: 4, state: new Uint8Array([4]) });
  expect(await repo.latestCheckpoint('b')).toMatchObject({ step: 6 });
  expect(await repo.discardCheckpointsFrom('a', 1)).toBeNull();
  expect(await repo.latestCheckpoint('a')).toBeUndefined();
});

test('a second holder of the tuning lock is told busy at once; the lock is free again after the run', async () => {
  const held = new Set<string>();
  const locks: LockManagerLike = {
    async request(name, _options, callback) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
  let release!: () => void;
  const first = withTuningLock(locks, () => new Promise<string>((resolve) => (release = () => resolve('first done'))));
  expect(await withTuningLock(locks, () => Promise.resolve('second'))).toEqual({ status: 'busy' });
  release();
  expect(await first).toEqual({ status: 'ran', value: 'first done' });
  expect(await withTuningLock(locks, () => Promise.resolve('third'))).toEqual({ status: 'ran', value: 'third' });
});
