// A stored run as the Tuning tab shows it: whether it trained all weights comes from its stored plan's setup.
import { expect, test } from 'vitest';
import type { StoredRun } from '../../../../src/fiat/storage/tuning-repository.ts';
import { allWeightsOf, liveRunOf } from '../../../../src/ui/features/tuning/run-store.ts';

const setup = { lora: { r: 8, alpha: 16, targets: ['q', 'v'] }, batchSize: 8, seqLen: 64, ep: 'wasm', wasmThreads: 2 };
const stored = (plan: unknown): StoredRun => ({
  id: 'r1',
  taskId: 't',
  createdAt: 0,
  updatedAt: 0,
  model: { label: 'fiat-studio/demo', repo: null, revision: null },
  settings: { plan, ep: 'wasm' },
  tauVersion: 'h',
  dataHash: 'd',
  status: 'done',
  step: 4,
  totalSteps: 4,
  losses: [],
  evaluations: [],
});

test('a run whose plan trained all weights shows as such; a LoRA run, an older record or damaged settings do not', () => {
  expect(allWeightsOf({ plan: { setup: { ...setup, allWeights: true } } })).toBe(true);
  expect(liveRunOf(stored({ setup: { ...setup, allWeights: true } })).allWeights).toBe(true);
  for (const plan of [{ setup }, { setup: { ...setup, allWeights: false } }, { setup: { ...setup, allWeights: 'yes' } }, undefined, 'plan', { setup: null }]) {
    expect(allWeightsOf({ plan })).toBe(false);
    expect(liveRunOf(stored(plan)).allWeights).toBeUndefined();
  }
  expect(liveRunOf(stored({ setup })).threads).toBe(2);
});
