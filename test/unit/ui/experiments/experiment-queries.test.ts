// The queue builder's estimate for the methods that train all weights: the engine's, for the setup such a run prepares.
import { QueryClient } from '@tanstack/react-query';
import { expect, test } from 'vitest';
import type { MemoryEstimate, TrainingSetup } from '../../../../src/engine/engine.ts';
import { DEFAULT_TRAINING_SHAPES } from '../../../../src/fiat/tuning/training-shapes.ts';
import { fullWeightMemoryQuery } from '../../../../src/ui/features/experiments/experiment-queries.ts';

const estimate = { fits: true, peakBytes: 5 } as MemoryEstimate;

test("the estimate is the engine's for all weights of the loaded model with the Tuning tab's shapes, on WebGPU", async () => {
  const asked: TrainingSetup[] = [];
  const engine = {
    estimateMemory: (setup: TrainingSetup) => {
      asked.push(setup);
      return Promise.resolve(estimate);
    },
  };
  const shapes = { ...DEFAULT_TRAINING_SHAPES, seqLen: 256, memoryBudgetBytes: 2 ** 30 };
  const client = new QueryClient();
  expect(await client.fetchQuery(fullWeightMemoryQuery('fiat-studio/demo', shapes, () => engine))).toBe(estimate);
  expect(asked).toEqual([{ lora: shapes.lora, batchSize: 8, microBatchSize: 2, seqLen: 256, ep: 'webgpu', memoryBudgetBytes: 2 ** 30, allWeights: true }]);
});

test('keyed by the model and the shapes, and not asked with no model loaded', () => {
  const options = fullWeightMemoryQuery(null, DEFAULT_TRAINING_SHAPES, () => ({ estimateMemory: () => Promise.reject(new Error('not asked')) }));
  expect(options.enabled).toBe(false);
  expect(fullWeightMemoryQuery('a', DEFAULT_TRAINING_SHAPES).queryKey).not.toEqual(fullWeightMemoryQuery('b', DEFAULT_TRAINING_SHAPES).queryKey);
  expect(fullWeightMemoryQuery('a', DEFAULT_TRAINING_SHAPES).queryKey).not.toEqual(fullWeightMemoryQuery('a', { ...DEFAULT_TRAINING_SHAPES, seqLen: 128 }).queryKey);
  // Not under ['experiments'], which the queue session invalidates at every save.
  expect(fullWeightMemoryQuery('a', DEFAULT_TRAINING_SHAPES).queryKey[0]).not.toBe('experiments');
});
