import { expect, test } from 'vitest';
import type { MemoryEstimate } from '../../../../src/engine/engine.ts';
import { NO_FULL_WEIGHT_TRAINING } from '../../../../src/fiat/experiments/methods.ts';
import {
  chosenTauVersions,
  ENGINE_AVAILABILITY,
  methodRows,
  needsBaseCheckpoint,
  queueBlocker,
  runCount,
  runCountLine,
} from '../../../../src/ui/features/experiments/queue/builder-plan.ts';

test('methods come in the catalogue order, the ablations indented by their depth under FIAT', () => {
  const rows = methodRows(ENGINE_AVAILABILITY);
  expect(rows.map((r) => [r.method.id, r.depth])).toEqual([
    ['icl', 0],
    ['fine-tune', 0],
    ['fiat', 0],
    ['no-cot', 1],
    ['no-instruction', 2],
    ['no-peft', 3],
    ['no-instruction-tuned-base', 4],
    ['distilled-cot', 0],
  ]);
});

test("the engine's LoRA-only training disables the full-weight methods with the reason; the rest can be ticked", () => {
  const rows = methodRows(ENGINE_AVAILABILITY);
  const unavailable = rows.filter((r) => !r.availability.available).map((r) => [r.method.id, r.availability.available ? null : r.availability.reason]);
  expect(unavailable).toEqual([
    ['no-peft', NO_FULL_WEIGHT_TRAINING],
    ['no-instruction-tuned-base', NO_FULL_WEIGHT_TRAINING],
  ]);
});

test('once full weights train and fit, the base-checkpoint ablation can be ticked before its checkpoint is named', () => {
  const memory: MemoryEstimate = { peakBytes: 1, parts: { weights: 1, adapterAndOptimizer: 0, activations: 0 }, largestBufferBytes: 1, limits: null, budgetBytes: null, fits: true, advice: [] };
  const fits = { fullWeightTraining: true, fullWeightMemory: memory };
  const rows = methodRows(fits);
  expect(rows.every((r) => r.availability.available)).toBe(true);
  const tooBig = methodRows({ fullWeightTraining: true, fullWeightMemory: { ...memory, fits: false, peakBytes: 2 ** 31 } });
  expect(tooBig.filter((r) => !r.availability.available).map((r) => r.method.id)).toEqual(['no-peft', 'no-instruction-tuned-base']);
  expect(tooBig.find((r) => r.method.id === 'no-peft')?.availability).toEqual({ available: false, reason: 'Training all weights does not fit: it needs about 2.0 GiB at its peak.' });
  expect(needsBaseCheckpoint(['fiat', 'no-instruction-tuned-base'])).toBe(true);
  expect(needsBaseCheckpoint(['fiat', 'no-peft', 'icl'])).toBe(false);
});

const options = [
  { id: 'current', label: 'current', text: 'A {{question}}' },
  { id: 'v1', label: 'short', text: 'B {{question}}' },
  { id: 'v2', label: 'short', text: 'C {{question}}' },
  { id: 'v3', label: 'same as current', text: 'A {{question}}' },
];

test('the I_τ versions ticked, in the options order, labels made distinct', () => {
  const { versions, sameAs } = chosenTauVersions(options, new Set(['v2', 'current', 'v1']));
  expect(versions).toEqual([
    { label: 'current', text: 'A {{question}}' },
    { label: 'short', text: 'B {{question}}' },
    { label: 'short (2)', text: 'C {{question}}' },
  ]);
  expect(sameAs.size).toBe(0);
});

test('an I_τ version with the text of one already chosen is run once, and named as the same text', () => {
  const { versions, sameAs } = chosenTauVersions(options, new Set(['current', 'v3']));
  expect(versions).toEqual([{ label: 'current', text: 'A {{question}}' }]);
  expect(sameAs).toEqual(new Map([['v3', 'current']]));
  expect(chosenTauVersions(options, new Set()).versions).toEqual([]);
});

test('the run count: each training cell is a run, ICL one run however many cells', () => {
  // Fine-tune reads no I_τ: one run per size and seed (6); FIAT one per I_τ version too (12); ICL one.
  expect(runCount(['icl', 'fine-tune', 'fiat'], 2, 3, 2)).toEqual({ runs: 19, training: 18 });
  // w/o instruction-augmented tuning trains what fine-tune trains: no more runs.
  expect(runCount(['fine-tune', 'no-instruction'], 2, 3, 2)).toEqual({ runs: 6, training: 6 });
  expect(runCount(['fiat', 'no-cot'], 2, 1, 1)).toEqual({ runs: 4, training: 4 });
  expect(runCount(['icl'], 2, 3, 2)).toEqual({ runs: 1, training: 0 });
  expect(runCount(['fiat'], 1, 0, 2)).toEqual({ runs: 0, training: 0 });
  expect(runCount(['icl', 'fiat'], 1, 1, 0)).toEqual({ runs: 0, training: 0 });
  expect(runCount([], 1, 1, 1)).toEqual({ runs: 0, training: 0 });
  expect(runCountLine({ runs: 25, training: 24 })).toBe('25 runs (24 train the small model)');
  expect(runCountLine({ runs: 1, training: 1 })).toBe('1 run (1 trains the small model)');
  expect(runCountLine({ runs: 1, training: 0 })).toBe('1 run (0 train the small model)');
});

test('the Queue button says why it is disabled: no model first, then no method, no I_τ, a field error, busy', () => {
  const ready = { modelLabel: 'owner/m@abc', methods: ['fiat'] as const, tauVersions: 1, fieldErrors: [], busy: false };
  expect(queueBlocker(ready)).toBeNull();
  expect(queueBlocker({ ...ready, modelLabel: null, methods: [] })).toBe('Load a small model on the Tuning tab.');
  expect(queueBlocker({ ...ready, methods: [] })).toBe('Tick at least one method.');
  expect(queueBlocker({ ...ready, tauVersions: 0 })).toBe('Tick at least one I_τ version.');
  expect(queueBlocker({ ...ready, fieldErrors: ['Sizes', 'Seeds'] })).toBe('Fix Sizes, Seeds first (see the message under the field).');
  expect(queueBlocker({ ...ready, busy: true })).toBe('Adding the runs to the queue…');
});
