// Waiting for a launched run's end through the run store: resolved when its live run goes inactive, with how it ended.
import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { waitForRunEnd } from '../../../../src/ui/features/experiments/runner/run-end.ts';
import { useRunStore, type LiveRun } from '../../../../src/ui/features/tuning/run-store.ts';
import { accuracyEvaluation } from '../../fiat/experiments/fixtures.ts';

const live: LiveRun = {
  runId: 'run-1',
  taskId: 'sample:tiny',
  status: 'running',
  message: null,
  totalSteps: 4,
  modelLabel: 'fiat-studio/demo',
  ep: 'wasm',
  threads: 1,
  losses: [],
  samples: [],
  evaluations: [],
  evaluating: null,
  active: true,
};

test('the end is the live run’s last status, message and evaluations once it is no longer active', async () => {
  useRunStore.getState().setRun(live);
  const end = waitForRunEnd('run-1');
  // Whatever the waiter has settled by the time queued tasks run (after every pending microtask).
  const settled = () => Promise.race([end, new Promise((resolve) => setTimeout(() => resolve('pending'), 0))]);
  const evaluations = [{ step: 0, evaluation: accuracyEvaluation(1, 2) }];
  useRunStore.getState().update({ status: 'evaluating', evaluations });
  expect(await settled()).toBe('pending');
  useRunStore.getState().update({ status: 'done' });
  expect(await settled()).toBe('pending');
  useRunStore.getState().update({ message: 'finished', active: false });
  expect(await end).toEqual({ status: 'done', message: 'finished', evaluations });
});
