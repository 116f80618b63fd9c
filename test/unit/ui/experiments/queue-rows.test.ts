import { expect, test } from 'vitest';
import type { Experiment, QueueItem } from '../../../../src/fiat/experiments/queue.ts';
import { experimentTitles, newestFirst } from '../../../../src/ui/features/experiments/queue/experiment-titles.ts';
import { itemAction, itemNames, methodName, statusText, summaryLine } from '../../../../src/ui/features/experiments/queue/queue-rows.ts';

const model = { repo: 'owner/m', revision: 'abc', label: 'owner/m@abc' };

function item(method: string, size: number, seed: number, status: QueueItem['status'], extra: Partial<QueueItem> & { tauLabel?: string; tauHash?: string; modelLabel?: string } = {}): QueueItem {
  const { tauLabel = 'current', tauHash = 'h1', modelLabel, ...rest } = extra;
  const m = modelLabel ? { ...model, label: modelLabel } : model;
  return {
    id: JSON.stringify([method, m.label, tauHash, size, seed]),
    key: `${method}-${size}-${seed}`,
    spec: { method, model: m, trains: method !== 'icl', tunedModel: m, tau: { label: tauLabel, hash: tauHash, text: '' }, size, seed, dataHash: 'd', settings: {} },
    status,
    force: false,
    runId: null,
    ...rest,
  };
}

function experiment(items: QueueItem[], extra: Partial<Experiment> = {}): Experiment {
  return { id: 'e1', taskId: 't', name: 'first', createdAt: 1, updatedAt: 1, items, ...extra };
}

test('the summary counts items per status, what happened first, leaving out empty statuses', () => {
  const items = [
    item('fiat', 16, 1, 'done'),
    item('fiat', 16, 2, 'done'),
    item('fiat', 64, 1, 'done'),
    item('fiat', 64, 2, 'failed'),
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => item('fine-tune', 16, seed, 'pending')),
  ];
  expect(summaryLine(experiment(items))).toBe('3 done, 1 failed, 8 pending');
  expect(summaryLine(experiment([item('fiat', 16, 1, 'running'), item('fiat', 16, 2, 'cancelled')]))).toBe('1 running, 1 cancelled');
  expect(summaryLine(experiment([]))).toBe('no runs');
});

test('item names are the paper name, I_τ, size and seed; unique even for two I_τ versions saved under one name', () => {
  const a = item('fiat', 16, 1, 'pending');
  const b = item('fiat', 16, 1, 'pending', { tauHash: 'h2' });
  const c = item('no-cot', 64, 2, 'done');
  const names = itemNames(experiment([a, b, c]));
  expect([...names.values()]).toEqual([
    'FIAT, I_τ current, size 16, seed 1',
    'FIAT, I_τ current, size 16, seed 1 (2)',
    'w/o CoT-augmented tuning, I_τ current, size 64, seed 2',
  ]);
  expect(names.get(b.id)).toBe('FIAT, I_τ current, size 16, seed 1 (2)');
});

test('the model is named only when the experiment has more than one', () => {
  const names = itemNames(experiment([item('fiat', 16, 1, 'pending'), item('fiat', 16, 1, 'pending', { modelLabel: 'other/m@def' })]));
  expect([...names.values()]).toEqual(['FIAT, I_τ current, size 16, seed 1, on owner/m@abc', 'FIAT, I_τ current, size 16, seed 1, on other/m@def']);
});

test('a method id the catalogue does not know is shown as is', () => {
  expect(methodName('fiat')).toBe('FIAT');
  expect(methodName('icl')).toBe('Few-shot ICL');
  expect(methodName('gone')).toBe('gone');
});

test('each status allows one action: cancel what has not finished, re-run what stopped, run again what is done', () => {
  expect(itemAction(item('fiat', 16, 1, 'pending'))).toBe('cancel');
  expect(itemAction(item('fiat', 16, 1, 'running'))).toBe('cancel');
  expect(itemAction(item('fiat', 16, 1, 'failed'))).toBe('rerun');
  expect(itemAction(item('fiat', 16, 1, 'cancelled'))).toBe('rerun');
  expect(itemAction(item('fiat', 16, 1, 'done'))).toBe('run-again');
});

test('a result taken from an earlier identical run reads "reused"', () => {
  expect(statusText(item('fiat', 16, 1, 'done', { reused: true }))).toBe('done (reused)');
  expect(statusText(item('fiat', 16, 1, 'done'))).toBe('done');
  expect(statusText(item('fiat', 16, 1, 'failed'))).toBe('failed');
});

test('experiments newest first; titles unique, counted oldest first so a new one never renames an older one', () => {
  const old = experiment([], { id: 'a', name: 'sizes', createdAt: 1 });
  const unnamed = experiment([], { id: 'b', name: ' ', createdAt: 2 });
  const newer = experiment([], { id: 'c', name: 'sizes', createdAt: 3 });
  expect(newestFirst([old, newer, unnamed]).map((e) => e.id)).toEqual(['c', 'b', 'a']);
  expect(experimentTitles([newer, old, unnamed])).toEqual(
    new Map([
      ['a', 'sizes'],
      ['b', 'experiment'],
      ['c', 'sizes (2)'],
    ]),
  );
  expect(experimentTitles([old]).get('a')).toBe('sizes');
});
