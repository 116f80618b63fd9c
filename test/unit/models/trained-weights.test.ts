// What a run trains (models/trained-weights.ts): LoRA's tensors or the checkpoint's, and their values at step 0.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { checkpointParameters } from '../../../src/models/architecture.ts';
import { WeightsError } from '../../../src/models/base-weights.ts';
import { parseModelConfig } from '../../../src/models/config.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { initLoraWeights, loraParameters, type LoraSpec } from '../../../src/models/lora.ts';
import { ALL_WEIGHTS, initialTrainedWeights, isAllWeights, trainedParameters } from '../../../src/models/trained-weights.ts';

const config = parseModelConfig(JSON.parse(readFileSync('test/fixtures/tiny-llama/config.json', 'utf8')));
const lora: LoraSpec = { r: 2, alpha: 4, targets: ['q', 'v'], dropout: 0 };
const weights = randomBaseWeights(config, 3);

test('all weights: the checkpoint tensors in state_dict order, starting at the loaded weights (the same arrays)', () => {
  expect(isAllWeights(ALL_WEIGHTS)).toBe(true);
  expect(isAllWeights(lora)).toBe(false);
  expect(trainedParameters(config, ALL_WEIGHTS)).toEqual(checkpointParameters(config));
  const initial = initialTrainedWeights(config, ALL_WEIGHTS, 0, weights);
  expect([...initial.keys()]).toEqual(checkpointParameters(config).map((p) => p.name));
  for (const [name, data] of initial) expect(data).toBe(weights.get(name));
});

test('LoRA: its own tensors and PEFT init, whatever the weights', () => {
  expect(trainedParameters(config, lora)).toEqual(loraParameters(config, lora));
  expect(initialTrainedWeights(config, lora, 5, weights)).toEqual(initLoraWeights(config, lora, 5));
});

test('all weights with a tensor missing from the loaded weights names it', () => {
  const partial = new Map(weights);
  partial.delete('model.norm.weight');
  expect(() => initialTrainedWeights(config, ALL_WEIGHTS, 0, partial)).toThrow(WeightsError);
  expect(() => initialTrainedWeights(config, ALL_WEIGHTS, 0, partial)).toThrow('model.norm.weight');
});
