import { describe, expect, it } from 'vitest';
import type { MemoryEstimate } from '../../../../src/engine/engine.ts';
import { fullWeightMemoryCheck, methodAvailability } from '../../../../src/fiat/experiments/availability.ts';
import { methodById, NO_FULL_WEIGHT_TRAINING } from '../../../../src/fiat/experiments/methods.ts';

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
  it('the LoRA methods and ICL are available; the full-weight ones say the engine cannot train all weights', () => {
    for (const id of ['icl', 'fine-tune', 'fiat', 'no-cot', 'no-instruction', 'distilled-cot'] as const) {
      expect(methodAvailability(methodById(id), { fullWeightTraining: false })).toEqual({ available: true });
    }
    expect(methodAvailability(methodById('no-peft'), { fullWeightTraining: false, fullWeightMemory: estimate(true) })).toEqual({ available: false, reason: NO_FULL_WEIGHT_TRAINING });
  });

  it('once the engine trains all weights, the memory estimate decides, and the base checkpoint must be named', () => {
    const noPeft = methodById('no-peft');
    expect(methodAvailability(noPeft, { fullWeightTraining: true, fullWeightMemory: estimate(true) })).toEqual({ available: true });
    expect(methodAvailability(noPeft, { fullWeightTraining: true })).toEqual({ available: false, reason: 'Training all weights needs a memory estimate for this model and device first.' });
    const base = methodById('no-instruction-tuned-base');
    const unnamed = methodAvailability(base, { fullWeightTraining: true, fullWeightMemory: estimate(true), baseCheckpoint: ' ' });
    expect(!unnamed.available && unnamed.reason).toMatch(/^Name the base checkpoint/);
    expect(methodAvailability(base, { fullWeightTraining: true, fullWeightMemory: estimate(true), baseCheckpoint: 'HuggingFaceTB/SmolLM2-135M' })).toEqual({ available: true });
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
