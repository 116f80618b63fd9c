import { describe, expect, it } from 'vitest';
import type { MemoryEstimate } from '../../../../src/engine/engine.ts';
import { fullWeightMemoryCheck, methodAvailability } from '../../../../src/fiat/experiments/availability.ts';
import { methodById } from '../../../../src/fiat/experiments/methods.ts';

const estimate = (fits: boolean, over: Partial<MemoryEstimate> = {}): MemoryEstimate => ({
  peakBytes: 3 * 2 ** 30,
  parts: { weights: 2 ** 30, adapterAndOptimizer: 2 ** 30, activations: 2 ** 30 },
  largestBufferBytes: 2 ** 28,
  limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
  budgetBytes: 2 * 2 ** 30,
  fits,
  advice: fits ? [] : ['micro-batch 1 instead of 2'],
  ...over,
});

describe('methodAvailability', () => {
  it('the LoRA methods and ICL are available whatever the full-weight estimate says', () => {
    for (const id of ['icl', 'fine-tune', 'fiat', 'no-cot', 'no-instruction', 'distilled-cot'] as const) {
      expect(methodAvailability(methodById(id), {})).toEqual({ available: true });
      expect(methodAvailability(methodById(id), { fullWeightMemory: estimate(false) })).toEqual({ available: true });
    }
  });

  it('the full-weight methods: the memory estimate decides, and the base checkpoint must be named', () => {
    const noPeft = methodById('no-peft');
    expect(methodAvailability(noPeft, { fullWeightMemory: estimate(true) })).toEqual({ available: true });
    expect(methodAvailability(noPeft, {})).toEqual({ available: false, reason: 'Training all weights needs a memory estimate for this model and device first.' });
    expect(methodAvailability(noPeft, { fullWeightMemory: estimate(false) })).toEqual(fullWeightMemoryCheck(estimate(false)));
    expect(methodAvailability(noPeft, { fullWeightMemory: { missing: 'Load a small model first.' } })).toEqual({ available: false, reason: 'Load a small model first.' });
    const base = methodById('no-instruction-tuned-base');
    const unnamed = methodAvailability(base, { fullWeightMemory: estimate(true), baseCheckpoint: ' ' });
    expect(!unnamed.available && unnamed.reason).toMatch(/^Name the base checkpoint/);
    expect(methodAvailability(base, { fullWeightMemory: estimate(true), baseCheckpoint: 'HuggingFaceTB/SmolLM2-135M' })).toEqual({ available: true });
    // Memory first: a named checkpoint does not make a setup that does not fit available.
    expect(methodAvailability(base, { fullWeightMemory: estimate(false), baseCheckpoint: 'HuggingFaceTB/SmolLM2-135M' }).available).toBe(false);
  });
});

describe('fullWeightMemoryCheck', () => {
  it("says how much it needs against the user's budget and passes on the engine's advice", () => {
    expect(fullWeightMemoryCheck(estimate(false))).toEqual({
      available: false,
      reason: 'Training all weights does not fit: it needs about 3.0 GiB at its peak, over your budget of 2.0 GiB. Try: micro-batch 1 instead of 2.',
    });
    expect(fullWeightMemoryCheck(estimate(false, { budgetBytes: null, advice: [] }))).toEqual({
      available: false,
      reason: "Training all weights does not fit: it needs about 3.0 GiB at its peak, over this device's buffer limits.",
    });
  });
});
