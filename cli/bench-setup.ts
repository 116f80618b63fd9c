import { buildTrainingArtifacts, type TrainingArtifacts, type WeightsPlacement } from '../src/models/artifacts.ts';
import { sampleBatch, type Batch } from '../src/models/batch.ts';
import type { ModelFlags } from './model-flags.ts';
import { readWeights } from './model-source.ts';

export interface BenchSetup {
  readonly artifacts: TrainingArtifacts;
  /** Where the base weights came from, for the log (readWeights). */
  readonly weightsSource: string;
  /** Time to read or make the base weights and build the artifacts; the sample batch is not counted. */
  readonly buildMs: number;
  readonly batch: Batch;
}

/**
 * What a train-step benchmark runs, made the same way by `fiat bench` and bench/engine/gpu/profile-webgpu.ts so
 * that their numbers stay comparable: the base weights (from `weightsPath`, else seeded random), the artifacts
 * (gradients clipped at norm 1) and one seeded sample batch, all for the model parseModelFlags read.
 */
export function benchSetup(model: ModelFlags, weightsPath: string | undefined, placement: WeightsPlacement): BenchSetup {
  const { config, lora, batchSize, seqLen, seed, lossChunkBytes, splitSums } = model;
  const t0 = performance.now();
  const { weights, source } = readWeights(config, weightsPath, seed);
  const artifacts = buildTrainingArtifacts({ config, lora, batchSize, seqLen, weights, weightsPlacement: placement, seed, maxGradNorm: 1, lossChunkBytes, splitSums });
  const buildMs = performance.now() - t0;
  const batch = sampleBatch({ batchSize, seqLen, vocabSize: config.vocabSize, seed });
  return { artifacts, weightsSource: source, buildMs, batch };
}
