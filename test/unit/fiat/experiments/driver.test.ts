// The queue driver over a fake runOne and ICL answerer, with the real repository on fake-indexeddb: what is computed,
// reused, resumed, cancelled and failed, and that what finished is never lost.
import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { QueueDriver, type RunOne, type RunOneOutcome } from '../../../../src/fiat/experiments/driver.ts';
import { itemsFor, recover, requeue, type Experiment } from '../../../../src/fiat/experiments/queue.ts';
import { expandGrid, type RunSpec } from '../../../../src/fiat/experiments/spec.ts';
import { ExperimentDatabase } from '../../../../src/fiat/storage/experiment-db.ts';
import { createExperimentRepository } from '../../../../src/fiat/storage/experiment-repository.ts';
import { accuracyEvaluation, final, grid, traitsOf } from './fixtures.ts';

let dbCount = 0;
const repository = () => createExperimentRepository(new ExperimentDatabase(`experiments-test-${dbCount++}`));

async function experiment(g = grid()): Promise<Experiment> {
  return { id: 'x1', taskId: 'task', name: 'e', createdAt: 1, updatedAt: 1, items: await itemsFor(await expandGrid(g, traitsOf)) };
}

const label = (spec: RunSpec) => `${spec.method}/${spec.seed}`;

/** A runOne that finishes each spec with accuracy 1/2, or does what `script` says for its label. */
function fakeRunOne(script: Record<string, (signal: AbortSignal, resume: string | null) => Promise<RunOneOutcome>> = {}) {
  const calls: { label: string; resume: string | null }[] = [];
  let n = 0;
  const runOne: RunOne = (spec, signal, { resumeRunId, started }) => {
    calls.push({ label: label(spec), resume: resumeRunId });
    const runId = resumeRunId ?? `run-${n++}`;
    started(runId);
    const scripted = script[label(spec)];
    if (scripted) return scripted(signal, resumeRunId);
    return Promise.resolve({ runId, status: 'done', evaluations: final(accuracyEvaluation(1, 2)) });
  };
  return { runOne, calls };
}

const answers = () => {
  const asked: string[] = [];
  return { asked, answer: (spec: RunSpec) => (asked.push(label(spec)), Promise.resolve(accuracyEvaluation(1, 4))) };
};

test('a queue runs to the end: ICL answered once (its cells share a key), each training run computed, results stored', async () => {
  const store = repository();
  const { runOne, calls } = fakeRunOne();
  const icl = answers();
  const driver = new QueueDriver(await experiment(), { store, runOne, answerWithoutTraining: icl.answer, now: () => 42 });
  expect(await driver.run()).toEqual({ status: 'finished' });
  expect(icl.asked).toEqual(['icl/0']);
  expect(calls.map((c) => c.label)).toEqual(['fiat/0', 'fiat/1']);
  expect(driver.experiment.items.map((i) => [i.status, i.runId, i.reused ?? false])).toEqual([
    ['done', null, false],
    ['done', null, true],
    ['done', 'run-0', false],
    ['done', 'run-1', false],
  ]);
  const saved = await store.getExperiment('x1');
  expect(saved?.items.map((i) => i.status)).toEqual(['done', 'done', 'done', 'done']);
  const results = await store.getResults(driver.experiment.items.map((i) => i.key));
  expect(results.size).toBe(3);
  expect(results.get(driver.experiment.items[2]!.key)).toMatchObject({ runId: 'run-0', taskId: 'task', finishedAt: 42 });
});

test('a second experiment with the same runs computes nothing; a forced re-run computes its item again and replaces the result', async () => {
  const store = repository();
  await new QueueDriver(await experiment(), { store, runOne: fakeRunOne().runOne, answerWithoutTraining: answers().answer }).run();
  const { runOne, calls } = fakeRunOne({ 'fiat/1': (_s, resume) => Promise.resolve({ runId: resume ?? 'run-new', status: 'done', evaluations: final(accuracyEvaluation(2, 2)) }) });
  const icl = answers();
  const second = new QueueDriver({ ...(await experiment()), id: 'x2' }, { store, runOne, answerWithoutTraining: icl.answer });
  await second.run();
  expect(calls).toEqual([]);
  expect(icl.asked).toEqual([]);
  expect(second.experiment.items.every((i) => i.status === 'done' && i.reused === true)).toBe(true);
  const fiat1 = second.experiment.items[3]!;
  const third = new QueueDriver(requeue(second.experiment, fiat1.id, { force: true }), { store, runOne, answerWithoutTraining: icl.answer });
  await third.run();
  expect(calls.map((c) => c.label)).toEqual(['fiat/1']);
  expect((await store.getResult(fiat1.key))?.evaluations[0]!.evaluation.report.overall.values.accuracy).toBe(1);
});

test('a failed or diverged run keeps its message, the queue goes on, and nothing finished is lost', async () => {
  const store = repository();
  const { runOne } = fakeRunOne({
    'fiat/0': () => Promise.resolve({ runId: 'r', status: 'diverged', message: 'loss NaN at step 4', evaluations: [] }),
    'fiat/1': () => Promise.reject(new Error('worker crashed')),
  });
  const driver = new QueueDriver(await experiment(), { store, runOne, answerWithoutTraining: answers().answer });
  expect(await driver.run()).toEqual({ status: 'finished' });
  expect(driver.experiment.items.map((i) => [i.status, i.message])).toEqual([
    ['done', undefined],
    ['done', undefined],
    ['failed', 'diverged: loss NaN at step 4'],
    ['failed', 'worker crashed'],
  ]);
  expect((await store.finishedKeys(driver.experiment.items.map((i) => i.key))).size).toBe(1);
});

test('a run that cannot start fails with the reason, before runOne is called', async () => {
  const store = repository();
  const { runOne, calls } = fakeRunOne();
  const driver = new QueueDriver(await experiment(), {
    store,
    runOne,
    answerWithoutTraining: answers().answer,
    preflight: (spec) => Promise.resolve(spec.seed === 1 && spec.trains ? 'no reasoning for 3 train examples' : null),
  });
  await driver.run();
  expect(calls.map((c) => c.label)).toEqual(['fiat/0']);
  expect(driver.experiment.items[3]).toMatchObject({ status: 'failed', message: 'cannot start: no reasoning for 3 train examples' });
});

test('a run that waits (its model is not loaded) stays pending while the rest runs; the queue then stops waiting, and a later run starts it', async () => {
  const store = repository();
  const { runOne, calls } = fakeRunOne();
  let loaded = 'instruction-tuned';
  const waitFor = (spec: RunSpec) => Promise.resolve(spec.trains && spec.seed === 0 && loaded !== 'base' ? 'load the base on the Tuning tab' : null);
  const checked: string[] = [];
  const preflight = (spec: RunSpec) => {
    checked.push(label(spec));
    return Promise.resolve(null);
  };
  const first = new QueueDriver(await experiment(), { store, runOne, answerWithoutTraining: answers().answer, waitFor, preflight });
  const fiat0 = first.experiment.items[2]!.id;
  expect(await first.run()).toEqual({ status: 'waiting', itemIds: [fiat0], message: 'load the base on the Tuning tab' });
  expect(calls.map((c) => c.label)).toEqual(['fiat/1']);
  // Waiting is checked before the preflight, which never saw it.
  expect(checked).not.toContain('fiat/0');
  expect(first.experiment.items.map((i) => i.status)).toEqual(['done', 'done', 'pending', 'done']);
  expect((await store.getExperiment('x1'))?.items[2]).toMatchObject({ status: 'pending', runId: null });

  // Resume once it is loaded: only the waiting item runs.
  loaded = 'base';
  const resumed = new QueueDriver(first.experiment, { store, runOne, answerWithoutTraining: answers().answer, waitFor, preflight });
  expect(await resumed.run()).toEqual({ status: 'finished' });
  expect(calls.map((c) => c.label)).toEqual(['fiat/1', 'fiat/0']);
  expect(resumed.experiment.items.map((i) => i.status)).toEqual(['done', 'done', 'done', 'done']);

  // A waiting item cancelled meanwhile (here while the next item is checked) no longer keeps the queue waiting.
  loaded = 'instruction-tuned';
  const cancelWaited = (spec: RunSpec) => (label(spec) === 'fiat/1' ? other.cancel(other.experiment.items[2]!.id).then(() => null) : Promise.resolve(null));
  const other: QueueDriver = new QueueDriver(await experiment(), { store: repository(), runOne: fakeRunOne().runOne, answerWithoutTraining: answers().answer, waitFor, preflight: cancelWaited });
  expect(await other.run()).toEqual({ status: 'finished' });
  expect(other.experiment.items.map((i) => i.status)).toEqual(['done', 'done', 'cancelled', 'done']);
});

test('pause mid-run: the item goes back to pending with its run; a reload and a new driver resume that run', async () => {
  const store = repository();
  const pausing = fakeRunOne({
    'fiat/0': (signal) => {
      driver.pause();
      expect(signal.reason).toBe('pause');
      return Promise.resolve({ runId: 'run-0', status: 'paused', evaluations: final(accuracyEvaluation(0, 2), 0) });
    },
  });
  const driver: QueueDriver = new QueueDriver(await experiment(), { store, runOne: pausing.runOne, answerWithoutTraining: answers().answer });
  expect(await driver.run()).toEqual({ status: 'paused' });
  const stored = (await store.getExperiment('x1'))!;
  expect(stored.items.map((i) => [i.status, i.runId])).toEqual([['done', null], ['done', null], ['pending', 'run-0'], ['pending', null]]);

  const resumed = fakeRunOne();
  await new QueueDriver(recover(stored), { store, runOne: resumed.runOne, answerWithoutTraining: answers().answer }).run();
  expect(resumed.calls).toEqual([{ label: 'fiat/0', resume: 'run-0' }, { label: 'fiat/1', resume: null }]);
});

test('a tab closed mid-run: the stored item is running with its run id; recover makes it pending to resume', async () => {
  const repo = repository();
  let saw: () => void = () => undefined;
  const runIdSaved = new Promise<void>((resolve) => (saw = resolve));
  const store = {
    ...repo,
    saveExperiment: async (e: Experiment) => {
      await repo.saveExperiment(e);
      if (e.items[2]?.runId === 'run-0') saw();
    },
  };
  const { runOne } = fakeRunOne({ 'fiat/0': () => new Promise<never>(() => undefined) }); // never ends: the tab closes
  void new QueueDriver(await experiment(), { store, runOne, answerWithoutTraining: answers().answer }).run();
  await runIdSaved;
  const stored = (await repo.getExperiment('x1'))!;
  expect(stored.items[2]).toMatchObject({ status: 'running', runId: 'run-0' });
  expect(recover(stored).items[2]).toMatchObject({ status: 'pending', runId: 'run-0' });
});

test('cancel: a pending item is skipped; the running one is stopped and the queue goes on', async () => {
  const store = repository();
  const { runOne, calls } = fakeRunOne({
    'fiat/0': (signal) =>
      new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve({ runId: 'run-0', status: 'cancelled', evaluations: [] }));
        void driver.cancel(driver.experiment.items[3]!.id); // fiat/0, the running one
      }),
  });
  const e = await experiment(grid({ seeds: [0, 1, 2] }));
  const driver: QueueDriver = new QueueDriver(e, { store, runOne, answerWithoutTraining: answers().answer });
  await driver.cancel(e.items[4]!.id); // fiat/1, before the queue runs
  expect(await driver.run()).toEqual({ status: 'finished' });
  expect(calls.map((c) => c.label)).toEqual(['fiat/0', 'fiat/2']);
  expect(driver.experiment.items.slice(3).map((i) => i.status)).toEqual(['cancelled', 'cancelled', 'done']);
});

test('a lost GPU stops the queue with the item pending to resume on a new device', async () => {
  const store = repository();
  const { runOne } = fakeRunOne({ 'fiat/0': () => Promise.resolve({ runId: 'run-0', status: 'device-lost', message: 'GPU lost', evaluations: [] }) });
  const driver = new QueueDriver(await experiment(), { store, runOne, answerWithoutTraining: answers().answer });
  const end = await driver.run();
  expect(end).toEqual({ status: 'device-lost', itemId: driver.experiment.items[2]!.id, message: 'GPU lost' });
  expect(driver.experiment.items[2]).toMatchObject({ status: 'pending', runId: 'run-0', message: 'GPU lost' });
  expect(driver.experiment.items[3]!.status).toBe('pending');
});

test('an item cancelled while its preflight runs is not started; a preflight that throws fails the item with its message', async () => {
  const store = repository();
  const { runOne, calls } = fakeRunOne();
  const e = await experiment();
  const driver: QueueDriver = new QueueDriver(e, {
    store,
    runOne,
    answerWithoutTraining: answers().answer,
    preflight: async (spec) => {
      if (spec.seed === 0 && spec.trains) await driver.cancel(e.items[2]!.id);
      if (spec.seed === 1 && spec.trains) throw new Error('estimate failed: no adapter');
      return null;
    },
  });
  expect(await driver.run()).toEqual({ status: 'finished' });
  expect(calls).toEqual([]);
  expect(driver.experiment.items.slice(2).map((i) => [i.status, i.message])).toEqual([
    ['cancelled', undefined],
    ['failed', 'cannot start: estimate failed: no adapter'],
  ]);
});

test('a finished key whose result has gone is computed again', async () => {
  const db = new ExperimentDatabase(`experiments-test-${dbCount++}`);
  const store = createExperimentRepository(db);
  await new QueueDriver(await experiment(), { store, runOne: fakeRunOne().runOne, answerWithoutTraining: answers().answer }).run();
  const e = await experiment();
  await db.results.delete(e.items[2]!.key);
  const { runOne, calls } = fakeRunOne();
  await new QueueDriver({ ...e, id: 'x2' }, { store, runOne, answerWithoutTraining: answers().answer }).run();
  expect(calls.map((c) => c.label)).toEqual(['fiat/0']);
});

test('re-run while the queue runs: a cancelled item put back is reached in its order; the running item is left alone', async () => {
  const store = repository();
  const { runOne, calls } = fakeRunOne({
    'fiat/1': async () => {
      await driver.requeue(driver.experiment.items[2]!.id, { force: false }); // fiat/0, cancelled before the run
      await driver.requeue(driver.experiment.items[3]!.id, { force: true }); // fiat/1 itself: running, untouched
      return { runId: 'run-1', status: 'done', evaluations: final(accuracyEvaluation(1, 2)) };
    },
  });
  const e = await experiment(grid({ seeds: [0, 1] }));
  const driver: QueueDriver = new QueueDriver(e, { store, runOne, answerWithoutTraining: answers().answer });
  await driver.cancel(e.items[2]!.id); // fiat/0
  expect(await driver.run()).toEqual({ status: 'finished' });
  expect(calls.map((c) => c.label)).toEqual(['fiat/1', 'fiat/0']);
  expect(driver.experiment.items.slice(2).map((i) => [i.status, i.force])).toEqual([['done', false], ['done', false]]);
});
