// The experiment grid, its keys, the queue's transitions and the scheduler's choices.
import { expect, test } from 'vitest';
import { cancelItem, countByStatus, distinctRuns, itemsFor, markDone, markFailed, markRunning, markStarted, recover, requeue, type Experiment } from '../../../../src/fiat/experiments/queue.ts';
import { blockedItems, combinePreflights, memoryPreflight, nextAction } from '../../../../src/fiat/experiments/schedule.ts';
import { methodTraits } from '../../../../src/fiat/experiments/methods.ts';
import { cellId, expandGrid, missingInputs, specKey } from '../../../../src/fiat/experiments/spec.ts';
import { demo, grid, traitsOf } from './fixtures.ts';

async function experiment(g = grid()): Promise<Experiment> {
  return { id: 'x1', taskId: 'task', name: 'e', createdAt: 1, updatedAt: 1, items: await itemsFor(await expandGrid(g, traitsOf)) };
}

test('the grid expands method-major into one spec per cell', async () => {
  const specs = await expandGrid(grid({ sizes: [100, 1000] }), traitsOf);
  expect(specs.map((s) => [s.method, s.size, s.seed])).toEqual([
    ['icl', 100, 0], ['icl', 100, 1], ['icl', 1000, 0], ['icl', 1000, 1],
    ['fiat', 100, 0], ['fiat', 100, 1], ['fiat', 1000, 0], ['fiat', 1000, 1],
  ]);
  expect(specs[4]!.tunedModel).toEqual(demo);
  expect(specs[0]!.tunedModel).toBeNull();
  expect(new Set(specs.map(cellId)).size).toBe(8);
});

test('a training run\'s key changes with everything that determines its result, and only with that', async () => {
  const [base] = await expandGrid(grid({ methods: ['fiat'], seeds: [0] }), traitsOf);
  const key = await specKey(base!);
  expect(await specKey({ ...base!, settings: { lr: 1e-3, steps: 20 } })).toBe(key); // member order is not content
  expect(await specKey({ ...base!, model: { ...demo, label: 'renamed' } })).toBe(key); // the label is not the weights
  expect(await specKey({ ...base!, tau: { ...base!.tau, label: 'v2' } })).toBe(key); // a version's name is not its text
  const changed = [
    { ...base!, seed: 1 },
    { ...base!, size: 1000 },
    { ...base!, dataHash: 'data-2' },
    { ...base!, method: 'no-cot' },
    { ...base!, settings: { steps: 21, lr: 1e-3 } },
    { ...base!, tunedModel: { ...demo, revision: 'def456' } },
    { ...base!, tau: { ...base!.tau, hash: 'other-text' } },
  ];
  for (const spec of changed) expect(await specKey(spec)).not.toBe(key);
});

test('methods that train alike share a key (fine-tune and w/o instruction-augmented tuning), and one that reads no I_τ is one run per I_τ version', async () => {
  const taus = [{ label: 'a', text: 'A {{reasoning}}' }, { label: 'b', text: 'B {{reasoning}}' }];
  const specs = await expandGrid(grid({ methods: ['fine-tune', 'no-instruction', 'fiat', 'no-cot'], seeds: [0], tauVersions: taus }), methodTraits);
  const keyOf = async (method: string, tau: string) => specKey(specs.find((s) => s.method === method && s.tau.label === tau)!);
  expect(await keyOf('fine-tune', 'a')).toBe(await keyOf('no-instruction', 'a'));
  expect(await keyOf('fine-tune', 'a')).toBe(await keyOf('fine-tune', 'b'));
  expect(await keyOf('fiat', 'a')).not.toBe(await keyOf('fiat', 'b'));
  expect(await keyOf('no-cot', 'a')).not.toBe(await keyOf('no-cot', 'b'));
  expect(await keyOf('fiat', 'a')).not.toBe(await keyOf('no-cot', 'a'));
  expect(await keyOf('fine-tune', 'a')).not.toBe(await keyOf('no-cot', 'a'));
  expect(new Set(await Promise.all(specs.map(specKey))).size).toBe(5);
});

test('ICL trains nothing: every cell of it shares one key, whatever the model, I_τ, size or seed', async () => {
  const specs = await expandGrid(grid({ methods: ['icl'], sizes: [100, 1000], tauVersions: [{ label: 'a', text: 'A' }, { label: 'b', text: 'B' }] }), traitsOf);
  const keys = new Set(await Promise.all(specs.map(specKey)));
  expect(specs).toHaveLength(8);
  expect(keys.size).toBe(1);
});

test('the ablation without an instruction-tuned base tunes the named base checkpoint, and says so when none is named', async () => {
  const base = { repo: 'org/base', revision: 'r1', label: 'org/base@r1' };
  const [named] = await expandGrid(grid({ methods: ['base-model'], seeds: [0], models: [{ model: demo, baseCheckpoint: base }] }), traitsOf);
  expect(named!.model).toEqual(demo);
  expect(named!.tunedModel).toEqual(base);
  expect(missingInputs(named!)).toBeNull();
  const [unnamed] = await expandGrid(grid({ methods: ['base-model'], seeds: [0] }), traitsOf);
  expect(missingInputs(unnamed!)).toMatch(/base checkpoint of fiat-studio\/demo@abc123/);
});

test('adding the same cells again queues nothing twice', async () => {
  const e = await experiment();
  const again = await itemsFor(await expandGrid(grid({ seeds: [0, 1, 2] }), traitsOf), e.items);
  expect(again.map((i) => [i.spec.method, i.spec.seed])).toEqual([['icl', 2], ['fiat', 2]]);
});

test('the scheduler takes the first pending item; a finished key is reused unless forced', async () => {
  let e = await experiment();
  const [icl0, icl1, fiat0] = e.items;
  expect(nextAction(e, new Set())).toEqual({ kind: 'answer', item: icl0 });
  e = markDone(e, icl0!.id, null);
  expect(nextAction(e, new Set([icl0!.key]))).toEqual({ kind: 'reuse', item: icl1 });
  e = markDone(e, icl1!.id, null, true);
  expect(nextAction(e, new Set([icl0!.key]))).toEqual({ kind: 'train', item: fiat0 });
  e = requeue(e, icl0!.id, { force: true });
  expect(nextAction(e, new Set([icl0!.key]))).toMatchObject({ kind: 'answer', item: { id: icl0!.id, force: true } });
  e = { ...e, items: e.items.map((i) => ({ ...i, status: 'done' as const })) };
  expect(nextAction(e, new Set())).toEqual({ kind: 'idle' });
});

test('a reload puts the running item back to pending with its run; cancel and requeue touch only their item', async () => {
  let e = await experiment();
  const [icl0, , fiat0, fiat1] = e.items;
  e = markDone(e, icl0!.id, null);
  e = markStarted(markRunning(e, fiat0!.id), fiat0!.id, 'run-7');
  e = recover(e);
  expect(e.items[2]).toMatchObject({ status: 'pending', runId: 'run-7' });
  expect(e.items[0]!.status).toBe('done');
  e = cancelItem(e, fiat1!.id);
  expect(countByStatus(e)).toEqual({ pending: 2, running: 0, done: 1, failed: 0, cancelled: 1 });
  e = cancelItem(e, icl0!.id); // a finished item is not cancelled
  expect(e.items[0]!.status).toBe('done');
  e = markFailed(e, fiat0!.id, 'boom');
  e = requeue(e, fiat0!.id, { force: false });
  expect(e.items[2]).toEqual({ ...fiat0, status: 'pending', force: false, runId: null });
  expect(() => cancelItem(e, 'nope')).toThrow(/no queue item/);
});

test('preflight: missing inputs first, then memory with the estimate\'s advice; blocked items are listed before the queue runs', async () => {
  const e = await experiment(grid({ methods: ['icl', 'fiat', 'base-model'], seeds: [0] }));
  const memory = memoryPreflight((spec) =>
    Promise.resolve(
      spec.method === 'fiat'
        ? { fits: false, peakBytes: 3 * 2 ** 30, budgetBytes: 2 * 2 ** 30, advice: ['micro-batch 1 instead of 2'] }
        : { fits: true, peakBytes: 1, budgetBytes: null, advice: [] },
    ),
  );
  const blocked = await blockedItems(e, new Set(), combinePreflights(memory));
  expect(blocked.map((b) => [b.itemId, b.method, b.model])).toEqual([
    [e.items[1]!.id, 'fiat', demo.label],
    [e.items[2]!.id, 'base-model', demo.label],
  ]);
  expect(blocked[0]!.reason).toBe("does not fit in this device's GPU memory: needs about 3072 MiB of a 2048 MiB budget; micro-batch 1 instead of 2");
  expect(blocked[1]!.reason).toMatch(/name it first/);
  // A finished key needs no check.
  expect(await blockedItems(e, new Set([e.items[1]!.key, e.items[2]!.key]), combinePreflights(memory))).toEqual([]);
});

test('distinct runs: a method’s cells that share a result are one run (ICL across seeds); other methods stay apart', async () => {
  const e = await experiment(grid({ methods: ['icl', 'fiat', 'fine-tune', 'no-instruction'] }));
  const runs = e.items.map((item) => ({ item, spec: item.spec, evaluations: [] }));
  expect(distinctRuns(runs).map((r) => `${r.spec.method}/${r.spec.seed}`)).toEqual(['icl/0', 'fiat/0', 'fiat/1', 'fine-tune/0', 'fine-tune/1', 'no-instruction/0', 'no-instruction/1']);
});
