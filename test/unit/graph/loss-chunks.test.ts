import { describe, expect, test } from 'vitest';
import { Graph } from '../../../src/graph/ir.ts';
import { LOSS_CHUNK_BYTES, linearCrossEntropy, lossChunks } from '../../../src/graph/nn/loss.ts';

describe('lossChunks', () => {
  test('as few chunks as keep each [rows, V] tensor within the budget, sizes differing by at most 1', () => {
    // SmolLM2 at 8 x 512: 805 MB of float32 logits; 1,365 rows fit in 256 MiB, so 4 chunks.
    expect(lossChunks(4096, 49152, 4)).toEqual([1024, 1024, 1024, 1024]);
    for (const size of lossChunks(4096, 49152, 4)) expect(size * 49152 * 4).toBeLessThanOrEqual(LOSS_CHUNK_BYTES);
    // Qwen2.5 (vocab 151936) at 8 x 512: 2.5 GB -> 10 chunks.
    expect(lossChunks(4096, 151936, 4)).toHaveLength(10);
    expect(lossChunks(16, 256, 4)).toEqual([16]);
    expect(lossChunks(16, 256, 8, 6 * 256 * 8)).toEqual([6, 5, 5]);
  });

  test('one row per chunk when a row alone exceeds the budget', () => {
    expect(lossChunks(3, 1000, 4, 1)).toEqual([1, 1, 1]);
  });
});

describe('linearCrossEntropy refuses', () => {
  const g = new Graph('refusals');
  const x = g.input('x', 'float32', [2, 3, 4]);
  const head = g.input('head', 'float32', [7, 4]);
  const labels = g.input('labels', 'float32', [2, 3]);
  const mask = g.input('mask', 'float32', [2, 3]);

  test('chunks that do not sum to B*T or are not positive integers', () => {
    expect(() => linearCrossEntropy(x, head, labels, mask, [3, 2])).toThrow(/chunks \[3, 2\] must be positive row counts summing to B\*T = 6/);
    expect(() => linearCrossEntropy(x, head, labels, mask, [6, 0])).toThrow(/positive row counts/);
    expect(() => linearCrossEntropy(x, head, labels, mask, [])).toThrow(/positive row counts/);
  });

  test('a head, labels or mask of the wrong shape', () => {
    expect(() => linearCrossEntropy(x, g.input('h5', 'float32', [7, 5]), labels, mask, [6])).toThrow(/head must be float32 \[V, 4\], got float32 \[7,5\]/);
    expect(() => linearCrossEntropy(x, head, g.input('l', 'float32', [3, 2]), mask, [6])).toThrow(/labels must be float32 \[2, 3\]/);
    expect(() => linearCrossEntropy(x, head, labels, g.input('m', 'float32', [2, 3, 1]), [6])).toThrow(/lossMask must be float32 \[2, 3\]/);
    expect(() => linearCrossEntropy(g.input('x2', 'float32', [6, 4]), head, labels, mask, [6])).toThrow(/x must be \[B, T, H\]/);
  });
});
