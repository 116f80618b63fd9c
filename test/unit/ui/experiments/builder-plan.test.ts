import { expect, test } from 'vitest';
import type { MemoryEstimate } from '../../../../src/engine/engine.ts';
import {
  type BuilderAvailability,
  builderAvailability,
  chosenTauVersions,
  methodRows,
  needsBaseCheckpoint,
  queueBlocker,
  runCount,
  runCountLine,
} from '../../../../src/ui/features/experiments/queue/builder-plan.ts';

const memory: MemoryEstimate = { peakBytes: 1, parts: { weights: 1, adapterAndOptimizer: 0, activations: 0 }, largestBufferBytes: 1, limits: null, budgetBytes: null, fits: true, advice: [] };

test('methods come in the catalogue order, the ablations indented by their depth under FIAT', () => {
  const rows = methodRows({ fullWeightMemory: memory });
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

const reasons = (context: BuilderAvailability) => methodRows(context).flatMap((r) => (r.availability.available ? [] : [[r.method.id, r.availability.reason]]));

test('with no model loaded, while estimating, or when the estimate failed, the full-weight methods say why; the rest can be ticked', () => {
  const none = builderAvailability(null, { data: memory });
  expect(reasons(none)).toEqual([
    ['no-peft', 'Load a small model on the Tuning tab: training all weights is offered when its memory estimate fits this device.'],
    ['no-instruction-tuned-base', 'Load a small model on the Tuning tab: training all weights is offered when its memory estimate fits this device.'],
  ]);
  expect(reasons(builderAvailability('fiat-studio/demo', {}))).toEqual([
    ['no-peft', 'Estimating the memory of training all weights of fiat-studio/demo…'],
    ['no-instruction-tuned-base', 'Estimating the memory of training all weights of fiat-studio/demo…'],
  ]);
  expect(reasons(builderAvailability('fiat-studio/demo', { error: new Error('the worker stopped') }))[0]).toEqual([
    'no-peft',
    'The memory of training all weights of fiat-studio/demo could not be estimated: the worker stopped',
  ]);
});

test('when the estimate fits, the full-weight methods can be ticked (the base-checkpoint ablation before its checkpoint is named); when not, the reason', () => {
  const rows = methodRows(builderAvailability('fiat-studio/demo', { data: memory }));
  expect(rows.every((r) => r.availability.available)).toBe(true);
  const tooBig = methodRows(builderAvailability('fiat-studio/demo', { data: { ...memory, fits: false, peakBytes: 2 ** 31 } }));
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
