import { checkpointParameters } from './architecture.ts';
import { WeightsError, type BaseWeights } from './base-weights.ts';
import type { ModelConfig } from './config.ts';
import { initLoraWeights, loraParameters, type LoraSpec } from './lora.ts';

/**
 * What a training run trains: a LoRA adapter (LoraSpec), or every weight of the model (full fine-tuning: the paper's
 * ablation "w/o parameter-efficient tuning"). Either way the graphs read the trained tensors from one packed input
 * (causal-lm.ts ADAPTER_INPUT), which AdamW updates and checkpoints hold, so the trainer, the accumulation graphs and
 * the checkpoints are the same code for both. With all weights that vector holds every checkpoint tensor, by its
 * checkpoint name in checkpointParameters order (a tied head is the embedding: one tensor), starting at the loaded
 * weights, and the graphs read no frozen weight at all.
 */
export interface AllWeightsSpec {
  readonly allWeights: true;
}

export const ALL_WEIGHTS: AllWeightsSpec = Object.freeze({ allWeights: true });

export type TrainedSpec = LoraSpec | AllWeightsSpec;

export function isAllWeights(spec: TrainedSpec): spec is AllWeightsSpec {
  return 'allWeights' in spec && spec.allWeights;
}

/** The trained tensors in the packed vector's order: LoRA's (lora.ts loraParameters) or the checkpoint's. */
export function trainedParameters(config: ModelConfig, spec: TrainedSpec): { readonly name: string; readonly shape: readonly number[] }[] {
  return isAllWeights(spec) ? checkpointParameters(config) : loraParameters(config, spec);
}

/** The trained tensors at step 0: PEFT's LoRA init with `seed`, or (all weights) the loaded weights themselves. */
export function initialTrainedWeights(config: ModelConfig, spec: TrainedSpec, seed: number, weights: BaseWeights): Map<string, Float32Array> {
  if (!isAllWeights(spec)) return initLoraWeights(config, spec, seed);
  return new Map(
    checkpointParameters(config).map((p) => {
      const data = weights.get(p.name);
      if (data === undefined) throw new WeightsError(`base weights: tensor "${p.name}" is missing`);
      return [p.name, data];
    }),
  );
}
