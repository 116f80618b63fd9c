import type { ModelDType } from './causal-lm.ts';
import { SeededRandom } from './random.ts';

/**
 * A training batch as the graphs take it (causal-lm.ts BATCH_INPUTS), B sequences of T positions, right padded:
 *   input_ids      int64 [B, T]  token ids, padTokenId after the sequence
 *   attention_mask float [B, T]  1 for the sequence's tokens, 0 for padding
 *   labels         float [B, T]  labels[t] = input_ids[t + 1] (0 at t = T - 1): the next token
 *   loss_mask      float [B, T]  1 where labels[t] is a completion token (after the prompt, inside the sequence)
 * This is the fixture contract (test/fixtures/tiny-llama/README.md).
 */
export interface Batch {
  readonly batchSize: number;
  readonly seqLen: number;
  readonly input_ids: BigInt64Array;
  readonly attention_mask: Float32Array | Float64Array;
  readonly labels: Float32Array | Float64Array;
  readonly loss_mask: Float32Array | Float64Array;
}

/** One training example as tokens: the prompt (instruction, input, reasoning) followed by the completion the loss is on. */
export interface TokenSequence {
  readonly tokens: readonly number[];
  /** How many leading tokens are prompt (no loss on predicting them). */
  readonly promptLength: number;
}

export class BatchError extends Error {
  override readonly name = 'BatchError';
}

/**
 * Packs up to B sequences into a batch of length T (missing rows are all padding, with no loss). A sequence
 * longer than T is refused, never silently truncated: cutting it would train on a different target.
 */
export function packBatch(
  sequences: readonly TokenSequence[],
  options: { batchSize: number; seqLen: number; padTokenId?: number; dtype?: ModelDType },
): Batch {
  const { batchSize: b, seqLen: t } = options;
  if (sequences.length > b) throw new BatchError(`${sequences.length} sequences do not fit a batch of ${b}`);
  const float = (n: number) => (options.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
  const ids = new BigInt64Array(b * t).fill(BigInt(options.padTokenId ?? 0));
  const mask = float(b * t);
  const labels = float(b * t);
  const lossMask = float(b * t);
  sequences.forEach((s, row) => {
    const n = s.tokens.length;
    if (n > t) throw new BatchError(`sequence ${row} has ${n} tokens, more than the sequence length ${t}`);
    if (!Number.isInteger(s.promptLength) || s.promptLength < 0 || s.promptLength > n) {
      throw new BatchError(`sequence ${row}: prompt length ${s.promptLength} is not within its ${n} tokens`);
    }
    for (let i = 0; i < n; i++) {
      const token = s.tokens[i]!;
      if (!Number.isInteger(token) || token < 0) throw new BatchError(`sequence ${row}, position ${i}: token id ${token} is not a non-negative integer`);
      ids[row * t + i] = BigInt(token);
      mask[row * t + i] = 1;
      if (i + 1 < n) labels[row * t + i] = s.tokens[i + 1]!;
      // Position i predicts token i + 1: it counts when token i + 1 is part of the completion.
      if (i + 1 < n && i + 1 >= s.promptLength) lossMask[row * t + i] = 1;
    }
  });
  return { batchSize: b, seqLen: t, input_ids: ids, attention_mask: mask, labels, loss_mask: lossMask };
}

/**
 * The length a batch of sequences is padded to with length buckets: the smallest bucket holding its longest sequence
 * (the smallest bucket for no sequences), else `seqLen` (packBatch then refuses a sequence longer than that).
 * `buckets` ascending.
 */
export function bucketLength(sequences: readonly TokenSequence[], buckets: readonly number[], seqLen: number): number {
  let longest = 0;
  for (const s of sequences) longest = Math.max(longest, s.tokens.length);
  return buckets.find((b) => b >= longest && b <= seqLen) ?? seqLen;
}

/**
 * The sequences of one optimizer step as micro-batches of `microBatchSize` rows, in order (runtime/trainer.ts
 * step(batches) with gradient accumulation): ceil(n / M) batches, the last one filled with padding rows; one
 * batch of padding for no sequences. Packed as packBatch packs them, with its refusals. Each is `seqLen` long, or,
 * with `buckets` (ascending lengths up to seqLen), as long as the smallest bucket holding its longest sequence: the
 * rows and their order stay the same, only the padding after them shrinks.
 */
export function packMicroBatches(
  sequences: readonly TokenSequence[],
  options: { microBatchSize: number; seqLen: number; buckets?: readonly number[]; padTokenId?: number; dtype?: ModelDType },
): Batch[] {
  const { microBatchSize: m, buckets, ...rest } = options;
  if (!Number.isInteger(m) || m < 1) throw new BatchError(`the micro-batch size must be a positive integer, got ${m}`);
  const batches: Batch[] = [];
  for (let start = 0; start < Math.max(sequences.length, 1); start += m) {
    const rows = sequences.slice(start, start + m);
    const seqLen = buckets === undefined ? rest.seqLen : bucketLength(rows, buckets, rest.seqLen);
    try {
      batches.push(packBatch(rows, { ...rest, seqLen, batchSize: m }));
    } catch (error) {
      // packBatch numbers the sequences of its batch; say which micro-batch.
      if (error instanceof BatchError) throw new BatchError(`micro-batch ${batches.length + 1} (sequences from ${start}): ${error.message}`);
      throw error;
    }
  }
  return batches;
}

/**
 * Seeded sample sequences of random tokens (benchmarks, the CLI's batch.safetensors): every one is full length
 * except the last of several, which is 3/4 long, and the first quarter of each is prompt.
 */
export function sampleSequences(options: { count: number; seqLen: number; vocabSize: number; seed?: number }): TokenSequence[] {
  const random = new SeededRandom(options.seed ?? 0);
  const { count: b, seqLen: t, vocabSize: v } = options;
  return Array.from({ length: b }, (_, row) => {
    const length = row === b - 1 && b > 1 ? Math.max(2, Math.ceil((3 * t) / 4)) : t;
    return { tokens: Array.from({ length }, () => Math.floor(random.uniform() * v)), promptLength: Math.floor(length / 4) };
  });
}

/** sampleSequences packed into one batch of B rows. */
export function sampleBatch(options: { batchSize: number; seqLen: number; vocabSize: number; seed?: number; dtype?: ModelDType }): Batch {
  const { batchSize, seqLen } = options;
  const sequences = sampleSequences({ count: batchSize, seqLen, vocabSize: options.vocabSize, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  return packBatch(sequences, { batchSize, seqLen, ...(options.dtype ? { dtype: options.dtype } : {}) });
}
