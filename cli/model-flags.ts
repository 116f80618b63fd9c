import type { ModelConfig } from '../src/models/config.ts';
import type { LoraSpec } from '../src/models/lora.ts';
import { LOSS_CHUNK_BYTES } from '../src/graph/nn/loss.ts';
import { nonNegativeInt, parseLoraFlag, positiveInt, positiveNumber, required } from './args.ts';
import { readConfig } from './model-source.ts';

/**
 * The flags `fiat artifacts` and `fiat bench` share: the model (--config, --weights), the adapter (--lora), the
 * batch shape (--batch, --seq), the seed, the train step's loss chunks (--loss-chunk-mib), whether long sums
 * are split (--no-sum-split), and where the base weights go (--weights-placement, whose default each command
 * picks). Spread into a command's parseFlags options.
 */
export const modelFlagOptions = {
  config: { type: 'string' },
  weights: { type: 'string' },
  lora: { type: 'string' },
  batch: { type: 'string' },
  seq: { type: 'string' },
  seed: { type: 'string' },
  'weights-placement': { type: 'string' },
  'loss-chunk-mib': { type: 'string' },
  'no-sum-split': { type: 'boolean' },
} as const;

export interface ModelFlags {
  readonly configPath: string;
  readonly config: ModelConfig;
  readonly lora: LoraSpec;
  readonly batchSize: number;
  readonly seqLen: number;
  readonly seed: number;
  /** The train step's logits per loss chunk, in bytes (--loss-chunk-mib; models/artifacts.ts lossChunkBytes). */
  readonly lossChunkBytes: number;
  /** False with --no-sum-split: no product is cut along its sum (models/artifacts.ts splitSums). */
  readonly splitSums: boolean;
}

/** Reads the config file and checks the shared flags, in this order; the first problem is a UsageError naming its flag. */
export function parseModelFlags(flags: {
  config?: string;
  lora?: string;
  batch?: string;
  seq?: string;
  seed?: string;
  'loss-chunk-mib'?: string;
  'no-sum-split'?: boolean;
}): ModelFlags {
  const configPath = required(flags.config, '--config');
  return {
    configPath,
    config: readConfig(configPath),
    lora: parseLoraFlag(flags.lora),
    batchSize: positiveInt(flags.batch, '--batch'),
    seqLen: positiveInt(flags.seq, '--seq'),
    seed: nonNegativeInt(flags.seed, '--seed', 0),
    lossChunkBytes: positiveNumber(flags['loss-chunk-mib'], '--loss-chunk-mib', LOSS_CHUNK_BYTES / 2 ** 20) * 2 ** 20,
    splitSums: !(flags['no-sum-split'] ?? false),
  };
}
