import { EngineError } from './errors.ts';

/**
 * Length buckets of a training setup (TrainingSetup.lengthBuckets): each micro-batch is padded to the smallest bucket
 * holding its longest example instead of to the sequence length, so little of a step is padding; the updates are
 * the same (padding carries no loss). Each bucket costs a train-step (or accumulate) session, made when a batch first
 * falls in it (runtime/step-sessions.ts): with graph capture its intermediate buffers stay allocated (memory.ts
 * counts them), and on the CPU EPs with the weights as initializers each session holds its own copy of them.
 */

/** The smallest default bucket: shorter batches are few kernels' worth of work either way. */
const SMALLEST_BUCKET = 64;

/**
 * Extra bytes of weights the engine accepts for buckets on a CPU EP whose sessions hold the weights as initializers
 * (one copy per bucket below the sequence length); beyond it the default is off there.
 */
export const CPU_BUCKET_WEIGHT_BYTES = 512 * 2 ** 20;

/** The default buckets: 64, 128, 256, ... below seqLen, then seqLen. */
export function defaultLengthBuckets(seqLen: number): number[] {
  const buckets: number[] = [];
  for (let b = SMALLEST_BUCKET; b < seqLen; b *= 2) buckets.push(b);
  return [...buckets, seqLen];
}

/**
 * A setup's buckets, ascending, seqLen the last (always a bucket); 'off' is [seqLen]. A bucket that is not a
 * positive whole number, or longer than seqLen, is refused naming it.
 */
export function resolveLengthBuckets(requested: readonly number[] | 'off', seqLen: number): number[] {
  if (requested === 'off') return [seqLen];
  for (const b of requested) {
    if (!Number.isInteger(b) || b < 1) throw new EngineError('config', `a length bucket must be a positive whole number, not ${b}`);
    if (b > seqLen) throw new EngineError('config', `the length bucket ${b} is longer than the sequence length (${seqLen})`);
  }
  return [...new Set([...requested, seqLen])].sort((a, b) => a - b);
}
