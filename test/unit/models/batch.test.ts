import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BatchError, bucketLength, packBatch, packMicroBatches, sampleBatch, type TokenSequence } from '../../../src/models/batch.ts';
import { readSafetensors } from '../../../src/models/safetensors.ts';

describe('packBatch', () => {
  test('reproduces the fixture batch (right padding, shifted labels, loss after the prompt) from its token rows', () => {
    const file = readSafetensors(readFileSync(new URL('../../fixtures/tiny-llama/batch.safetensors', import.meta.url)));
    const ids = Array.from(file.int64('input_ids'), Number);
    // README: sequence lengths [8, 6], prompt lengths [3, 2], T = 8.
    const rows = [
      { tokens: ids.slice(0, 8), promptLength: 3 },
      { tokens: ids.slice(8, 14), promptLength: 2 },
    ];
    const batch = packBatch(rows, { batchSize: 2, seqLen: 8 });
    expect(batch.input_ids).toEqual(file.int64('input_ids'));
    expect(batch.attention_mask).toEqual(file.float32('attention_mask'));
    expect(batch.labels).toEqual(file.float32('labels'));
    expect(batch.loss_mask).toEqual(file.float32('loss_mask'));
  });

  test('rows beyond the given sequences are padding without loss; float64 on request; the pad token fills', () => {
    const batch = packBatch([{ tokens: [5, 6, 7], promptLength: 1 }], { batchSize: 2, seqLen: 4, padTokenId: 9, dtype: 'float64' });
    expect(Array.from(batch.input_ids, Number)).toEqual([5, 6, 7, 9, 9, 9, 9, 9]);
    expect(batch.attention_mask).toBeInstanceOf(Float64Array);
    expect(Array.from(batch.attention_mask)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(batch.labels)).toEqual([6, 7, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(batch.loss_mask)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
  });

  test('refuses (never truncates) what does not fit, naming the sequence', () => {
    expect(() => packBatch([{ tokens: [1, 2, 3], promptLength: 0 }], { batchSize: 1, seqLen: 2 })).toThrow(
      new BatchError('sequence 0 has 3 tokens, more than the sequence length 2'),
    );
    expect(() => packBatch([{ tokens: [1], promptLength: 0 }, { tokens: [1], promptLength: 0 }], { batchSize: 1, seqLen: 2 })).toThrow('2 sequences do not fit a batch of 1');
    expect(() => packBatch([{ tokens: [1, 2], promptLength: 3 }], { batchSize: 1, seqLen: 2 })).toThrow('sequence 0: prompt length 3 is not within its 2 tokens');
    expect(() => packBatch([{ tokens: [1, -2], promptLength: 0 }], { batchSize: 1, seqLen: 2 })).toThrow('sequence 0, position 1: token id -2');
  });

  test('sampleBatch is seeded: same seed, same batch; tokens within the vocabulary; one shorter row', () => {
    const a = sampleBatch({ batchSize: 3, seqLen: 16, vocabSize: 50, seed: 4 });
    expect(sampleBatch({ batchSize: 3, seqLen: 16, vocabSize: 50, seed: 4 })).toEqual(a);
    expect(sampleBatch({ batchSize: 3, seqLen: 16, vocabSize: 50, seed: 5 }).input_ids).not.toEqual(a.input_ids);
    expect(Array.from(a.input_ids, Number).every((t) => t >= 0 && t < 50)).toBe(true);
    expect(Array.from(a.attention_mask).reduce((s, v) => s + v, 0)).toBe(16 + 16 + 12);
  });
});

describe('packMicroBatches', () => {
  const sequences = [3, 5, 2, 4, 6].map((n, i) => ({ tokens: Array.from({ length: n }, (_, t) => 10 * i + t), promptLength: 1 }));

  test('the rows of packBatch over all sequences, cut into micro-batches in order, the last one padded', () => {
    const whole = packBatch(sequences, { batchSize: 6, seqLen: 6, padTokenId: 7, dtype: 'float64' });
    const micro = packMicroBatches(sequences, { microBatchSize: 2, seqLen: 6, padTokenId: 7, dtype: 'float64' });
    expect(micro.map((b) => [b.batchSize, b.seqLen])).toEqual([[2, 6], [2, 6], [2, 6]]);
    for (const name of ['input_ids', 'attention_mask', 'labels', 'loss_mask'] as const) {
      const joined = micro.flatMap((b) => Array.from(b[name] as ArrayLike<number | bigint>));
      expect(joined).toEqual(Array.from(whole[name] as ArrayLike<number | bigint>));
    }
    expect(micro[2]!.loss_mask.slice(6).every((v) => v === 0)).toBe(true);
  });

  test('no sequences: one batch of padding; a micro-batch size that is not a positive integer is refused', () => {
    expect(packMicroBatches([], { microBatchSize: 3, seqLen: 4 }).map((b) => b.attention_mask.every((v) => v === 0))).toEqual([true]);
    expect(() => packMicroBatches(sequences, { microBatchSize: 0, seqLen: 6 })).toThrow('the micro-batch size must be a positive integer, got 0');
    expect(() => packMicroBatches(sequences, { microBatchSize: 2, seqLen: 5 })).toThrow('micro-batch 3 (sequences from 4): sequence 0 has 6 tokens, more than the sequence length 5');
  });
});

describe('length buckets', () => {
  const row = (length: number): TokenSequence => ({ tokens: Array.from({ length }, (_, i) => i + 1), promptLength: 1 });

  test('bucketLength: the smallest bucket holding the longest row; the smallest for none; seqLen past the buckets', () => {
    expect(bucketLength([row(3), row(9)], [8, 16, 32], 32)).toBe(16);
    expect(bucketLength([row(8)], [8, 16, 32], 32)).toBe(8);
    expect(bucketLength([], [8, 16, 32], 32)).toBe(8);
    expect(bucketLength([row(20)], [8, 16], 32)).toBe(32);
  });

  test('each micro-batch padded to its bucket: the same rows, order and values as padded to seqLen, cut short', () => {
    const sequences = [row(3), row(5), row(20), row(2), row(9)];
    const padded = packMicroBatches(sequences, { microBatchSize: 2, seqLen: 32 });
    const bucketed = packMicroBatches(sequences, { microBatchSize: 2, seqLen: 32, buckets: [8, 16, 32] });
    expect(bucketed.map((b) => b.seqLen)).toEqual([8, 32, 16]);
    for (const [i, b] of bucketed.entries()) {
      const p = padded[i]!;
      for (let r = 0; r < b.batchSize; r++) {
        const cut = <T extends ArrayLike<unknown>>(a: T, t: number) => Array.from(a).slice(r * t, r * t + b.seqLen);
        for (const name of ['input_ids', 'attention_mask', 'labels', 'loss_mask'] as const) expect(cut(b[name], b.seqLen)).toEqual(cut(p[name], 32));
        // What the cut leaves out is padding only.
        expect(Array.from(p.attention_mask).slice(r * 32 + b.seqLen, (r + 1) * 32).every((v) => v === 0)).toBe(true);
      }
    }
  });
});
