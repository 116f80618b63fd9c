// The studio's queue session over a real experiments repository (fake-indexeddb) and fake runs: create and add
// (idempotent), run, cancel and re-run, a reload mid-run recovered and resumed, a lost GPU, a run waiting for the base
// checkpoint it tunes.
import 'fake-indexeddb/auto';
import { expect, test, vi } from 'vitest';
import type { MemoryEstimate } from '../../../../src/engine/engine.ts';
import type { RunOne } from '../../../../src/fiat/experiments/driver.ts';
import { METHODS } from '../../../../src/fiat/experiments/methods.ts';
import { finishedRuns, markRunning, markStarted } from '../../../../src/fiat/experiments/queue.ts';
import { resultsTables } from '../../../../src/fiat/experiments/results.ts';
import type { RunSpec } from '../../../../src/fiat/experiments/spec.ts';
import { ExperimentDatabase } from '../../../../src/fiat/storage/experiment-db.ts';
import { createExperimentRepository } from '../../../../src/fiat/storage/experiment-repository.ts';
import type { GridChoices } from '../../../../src/ui/features/experiments/grid-choices.ts';
import { createQueueSession, RELOAD_NOTICE, type QueueSessionDeps } from '../../../../src/ui/features/experiments/queue-session.ts';
import { createQueueStore } from '../../../../src/ui/features/experiments/queue-store.ts';
import { createModelWait, createPreflight } from '../../../../src/ui/features/experiments/runner/preflight.ts';
import { accuracyEvaluation } from '../../fiat/experiments/fixtures.ts';
import { context, modelInfo, snapshot, TAU, task } from './fixtures.ts';

let dbCount = 0;

const choices = (overrides: Partial<GridChoices> = {}): GridChoices => ({
  name: 'First',
  methods: ['icl', 'fine-tune', 'fiat'],
  tauVersions: [{ label: 'v1', text: TAU }],
  sizes: [6],
  seeds: [0, 1],
  baseCheckpoint: null,
  ...overrides,
});

/** A fake run: done at once with evaluations at steps 0 and 4, unless `runOne` is given. */
const doneRun: RunOne = (spec, _signal, context) => {
  const runId = `run-${spec.method}-${spec.seed}`;
  context.started(runId);
  return Promise.resolve({ runId, status: 'done', evaluations: [{ step: 0, evaluation: accuracyEvaluation(1, 4) }, { step: 4, evaluation: accuracyEvaluation(3, 4) }] });
};

function session(overrides: Partial<QueueSessionDeps> = {}, repository = createExperimentRepository(new ExperimentDatabase(`queue-session-${dbCount++}`))) {
  const store = createQueueStore();
  const runOne = vi.fn(overrides.runOne ? (e: string, t: Parameters<QueueSessionDeps['runOne']>[1]) => overrides.runOne!(e, t) : () => doneRun);
  const deps: QueueSessionDeps = {
    repository,
    store,
    context: () => Promise.resolve(context()),
    snapshot: () => snapshot(),
    answer: () => () => Promise.resolve(accuracyEvaluation(2, 4)),
    preflight: () => () => Promise.resolve(null),
    now: () => 1000,
    ...overrides,
    runOne,
  };
  return { session: createQueueSession(deps), store, repository, runOne };
}

test('create: the loaded model × the choices, with the settings snapshot, saved; without a model it says to load one', async () => {
  const { session: s, store, repository } = session();
  const experiment = await s.createExperiment(task(), choices());
  expect(experiment?.items.map((i) => [i.spec.method, i.spec.seed])).toEqual([
    ['icl', 0],
    ['icl', 1],
    ['fine-tune', 0],
    ['fine-tune', 1],
    ['fiat', 0],
    ['fiat', 1],
  ]);
  expect(experiment?.items[2]?.spec).toMatchObject({ model: { repo: 'fiat-studio/demo', revision: 'unversioned' }, tunedModel: { repo: 'fiat-studio/demo' }, size: 6, settings: snapshot() });
  expect(experiment?.name).toBe('First');
  expect(store.getState().experiment).toEqual(experiment);
  expect(await repository.getExperiment(experiment!.id)).toMatchObject({ items: experiment!.items });

  const { session: noModel, store: empty } = session({ context: () => Promise.resolve(context({ model: null })) });
  expect(await noModel.createExperiment(task(), choices())).toBeNull();
  expect(empty.getState().notice).toContain('Load a small model on the Tuning tab first');
});

test('add: only cells not queued yet; the same choices again add nothing', async () => {
  const { session: s, store } = session();
  await s.createExperiment(task(), choices());
  await s.addToExperiment(task(), choices());
  expect(store.getState().experiment?.items).toHaveLength(6);
  expect(store.getState().notice).toBe('Those runs are in the queue already.');
  await s.addToExperiment(task(), choices({ seeds: [1, 2] }));
  expect(store.getState().experiment?.items.map((i) => `${i.spec.method}/${i.spec.seed}`).slice(6)).toEqual(['icl/2', 'fine-tune/2', 'fiat/2']);
});

test('start: every item done, results stored by key (ICL once), blocked items listed first', async () => {
  const blocked = (spec: RunSpec) => Promise.resolve(spec.method === 'fiat' && spec.seed === 1 ? 'the reasoning ŷ_β is missing' : null);
  const { session: s, store, repository } = session({ preflight: () => blocked });
  const experiment = (await s.createExperiment(task(), choices()))!;
  expect(store.getState().blocked.map((b) => [b.method, b.reason])).toEqual([['fiat', 'the reasoning ŷ_β is missing']]);
  expect(await s.startQueue(task())).toEqual({ status: 'finished' });
  const items = store.getState().experiment!.items;
  expect(items.map((i) => i.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'failed']);
  expect(items[5]?.message).toBe('cannot start: the reasoning ŷ_β is missing');
  expect(items[1]?.reused).toBe(true);
  expect(store.getState()).toMatchObject({ running: false, currentItemId: null, notice: null });
  const results = await repository.getResults(experiment.items.map((i) => i.key));
  expect(results.size).toBe(4);
  expect(results.get(experiment.items[2]!.key)?.evaluations.map((e) => e.step)).toEqual([0, 4]);
});

test('cancel and re-run while stopped; cancel while running stops that run and the queue goes on', async () => {
  const { session: s, store } = session();
  const experiment = (await s.createExperiment(task(), choices({ methods: ['fine-tune'] })))!;
  const first = experiment.items[0];
  await s.cancelQueueItem(first!.id);
  expect(store.getState().experiment?.items[0]?.status).toBe('cancelled');
  await s.requeueQueueItem(first!.id, false);
  expect(store.getState().experiment?.items[0]?.status).toBe('pending');

  // A run that waits until it is stopped: cancelling the running item cancels it, the next one runs.
  let markLong!: () => void;
  const long = new Promise<void>((resolve) => (markLong = resolve));
  const waiting: RunOne = (spec, signal, context) => {
    if (spec.seed === 1) return doneRun(spec, signal, context);
    context.started('run-long');
    markLong();
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ runId: 'run-long', status: 'cancelled', evaluations: [] })));
  };
  const { session: r, store: rs } = session({ runOne: () => waiting });
  const e2 = (await r.createExperiment(task(), choices({ methods: ['fine-tune'] })))!;
  const running = r.startQueue(task());
  await long;
  expect(rs.getState()).toMatchObject({ running: true, currentItemId: e2.items[0]!.id });
  // While it runs, the driver takes a re-run (here: force the pending one), not the session.
  await r.requeueQueueItem(e2.items[1]!.id, true);
  expect(rs.getState().experiment?.items[1]).toMatchObject({ status: 'pending', force: true });
  await r.cancelQueueItem(e2.items[0]!.id);
  expect(await running).toEqual({ status: 'finished' });
  expect(rs.getState().experiment?.items.map((i) => i.status)).toEqual(['cancelled', 'done']);
});

test('after a reload: the item left running is pending with its run, the session says so, and Resume resumes that run', async () => {
  const repository = createExperimentRepository(new ExperimentDatabase(`queue-session-${dbCount++}`));
  const before = session({}, repository);
  const experiment = (await before.session.createExperiment(task(), choices({ methods: ['fiat'], seeds: [0] })))!;
  const item = experiment.items[0]!;
  // The tab closed while the run went on: the stored queue has the item running with its run id.
  await repository.saveExperiment(markStarted(markRunning(experiment, item.id), item.id, 'run-7'));

  const resumed: (string | null)[] = [];
  const after = session({ runOne: () => (spec, signal, context) => (resumed.push(context.resumeRunId), doneRun(spec, signal, context)) }, repository);
  const opened = await after.session.openExperiment(experiment.id);
  expect(opened?.items[0]).toMatchObject({ status: 'pending', runId: 'run-7' });
  expect(after.store.getState().notice).toBe(RELOAD_NOTICE);
  expect((await repository.getExperiment(experiment.id))?.items[0]?.status).toBe('pending');
  expect(await after.session.startQueue(task())).toEqual({ status: 'finished' });
  expect(resumed).toEqual(['run-7']);
  expect(after.store.getState().experiment?.items[0]?.status).toBe('done');
});

test('a lost GPU stops the queue with its message; the item waits to resume on the new device', async () => {
  const lost: RunOne = (_spec, _signal, context) => {
    context.started('run-9');
    return Promise.resolve({ runId: 'run-9', status: 'device-lost', message: 'The GPU device was lost at step 3', evaluations: [] });
  };
  const { session: s, store } = session({ runOne: () => lost });
  await s.createExperiment(task(), choices({ methods: ['fiat'], seeds: [0] }));
  expect(await s.startQueue(task())).toMatchObject({ status: 'device-lost' });
  expect(store.getState().notice).toBe('The GPU device was lost at step 3. The queue stopped; press Resume to go on with that run on the new GPU device.');
  expect(store.getState().experiment?.items[0]).toMatchObject({ status: 'pending', runId: 'run-9' });
  expect(store.getState().running).toBe(false);
});

test('delete: not the running queue; otherwise gone from the repository and the session', async () => {
  const { session: s, store, repository } = session();
  const experiment = (await s.createExperiment(task(), choices()))!;
  await s.deleteExperiment(experiment.id);
  expect(await repository.getExperiment(experiment.id)).toBeUndefined();
  expect(store.getState().experiment).toBeNull();
});

test('a check that throws blocks its item with the message; an action that fails says why', async () => {
  const { session: s, store } = session({ preflight: () => () => Promise.reject(new Error('the memory estimate failed')) });
  await s.createExperiment(task(), choices({ methods: ['fiat'], seeds: [0] }));
  expect(store.getState().blocked.map((b) => b.reason)).toEqual(['the memory estimate failed']);
  const { session: broken, store: brokenStore } = session({ context: () => Promise.reject(new Error('The project has no setup for the task "sample:tiny".')) });
  expect(await broken.createExperiment(task(), choices())).toBeNull();
  expect(brokenStore.getState().notice).toBe('The project has no setup for the task "sample:tiny".');
});

test('w/o Instruction-tuned base model: the queue runs the rest, stops waiting for the base checkpoint, and Resume runs it once loaded; its result sits under the grid’s model', async () => {
  const base = { repo: 'owner/base', revision: 'main', label: 'owner/base@main' };
  let loaded = modelInfo();
  const current = () => Promise.resolve(context({ model: loaded }));
  const estimate = (): Promise<MemoryEstimate> => Promise.resolve({ fits: true, peakBytes: 1, budgetBytes: null, advice: [], limits: null } as unknown as MemoryEstimate);
  const tuned: string[] = [];
  const runOne: RunOne = (spec, signal, ctx) => {
    tuned.push(`${spec.method}@${spec.tunedModel?.label}`);
    return doneRun(spec, signal, ctx);
  };
  const { session: s, store, repository } = session({
    context: current,
    runOne: () => runOne,
    preflight: () => createPreflight({ context: current, estimate }),
    waitFor: () => createModelWait(current),
  });
  const experiment = (await s.createExperiment(task(), choices({ methods: ['fine-tune', 'no-instruction-tuned-base'], seeds: [0], baseCheckpoint: base })))!;
  expect(experiment.items.map((i) => [i.spec.method, i.spec.model.label, i.spec.tunedModel?.label])).toEqual([
    ['fine-tune', 'fiat-studio/demo', 'fiat-studio/demo'],
    ['no-instruction-tuned-base', 'fiat-studio/demo', 'owner/base@main'],
  ]);
  const reason = 'fiat-studio/demo is loaded and this run tunes owner/base@main: load owner/base@main on the Tuning tab';
  expect(store.getState().blocked.map((b) => b.reason)).toEqual([reason]);

  const waitingFor = experiment.items[1]!.id;
  expect(await s.startQueue(task())).toEqual({ status: 'waiting', itemIds: [waitingFor], message: reason });
  expect(store.getState().notice).toBe(`The queue stopped with 1 run waiting: ${reason}, then press Resume.`);
  expect(store.getState().experiment!.items.map((i) => i.status)).toEqual(['done', 'pending']);
  expect(tuned).toEqual(['fine-tune@fiat-studio/demo']);

  // The user loads the base checkpoint on the Tuning tab and presses Resume.
  loaded = { ...modelInfo('owner/base@main'), base: { name: 'owner/base', revision: 'main' } };
  expect(await s.startQueue(task())).toEqual({ status: 'finished' });
  expect(tuned).toEqual(['fine-tune@fiat-studio/demo', 'no-instruction-tuned-base@owner/base@main']);
  const done = store.getState().experiment!;
  expect(done.items.map((i) => i.status)).toEqual(['done', 'done']);
  expect(store.getState().notice).toBeNull();

  // One table, the grid's model's, with both methods.
  const results = await repository.getResults(done.items.map((i) => i.key));
  const tables = resultsTables(finishedRuns(done, results), METHODS.map((m) => m.id));
  expect(tables.map((t) => [t.group.model, t.rows.map((r) => r.method)])).toEqual([['fiat-studio/demo', ['fine-tune', 'no-instruction-tuned-base']]]);
});
