import { add, cast, equal, gather, greater, matmul, mul, reduceSum, reshape, softmax, sub, transpose } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { GraphError, formatShape } from '../shape.ts';
import { MASKED } from './attention.ts';
import { applyRotary, rotaryConstants, rotaryTableData } from './rotary.ts';

/**
 * Attention of K new tokens against a KV cache of static length C (generation: a prefill chunk, or K = 1 per decoded
 * token), as causalAttention computes it for the same tokens at the same positions (GQA, HF's RoPE, the 1/sqrt(D)
 * folded into the query's rotary tables).
 *
 * The cache holds each KV head's keys transposed, [B, KV, D, C] (the scores read it as it is), and its values
 * [B, KV, C, D]. The new tokens' keys and values are written at their positions (row i of batch row b at
 * positions[b, i]) by a product with a one-hot [K, C] matrix, the rest of the cache kept by a mask: no Scatter (not
 * every onnxruntime-web EP has it), static shapes, and every value moved exactly (x * 1 + 0). A position >= C writes
 * nothing. Queries attend the cache after the write, keys at positions <= their own: garbage a padded prefill row
 * leaves past a sequence's end is masked until a real token overwrites it.
 */
export interface CachedAttentionOptions {
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly headDim: number;
  /** int64 [B, K]: each new token's position (the rotary tables are gathered by it). */
  readonly positionIds: Tensor;
  /** float [B, K]: the same positions as floats (the write and the mask compare them; exact below 2^24). */
  readonly positions: Tensor;
  /** [B, KV, D, C] and [B, KV, C, D]: the cache before these tokens. */
  readonly pastKeyT: Tensor;
  readonly pastValue: Tensor;
  readonly ropeTheta: number;
  readonly ropeInvFreq?: readonly number[];
}

export interface CachedAttention {
  /** [B, K, nHeads * D]. */
  readonly out: Tensor;
  /** The cache with these tokens written: [B, KV, D, C] and [B, KV, C, D]. */
  readonly keyT: Tensor;
  readonly value: Tensor;
}

/** q: [B, K, nHeads * D], k and v: [B, K, nKvHeads * D] (projections' outputs, before RoPE). */
export function cachedAttention(q: Tensor, k: Tensor, v: Tensor, options: CachedAttentionOptions): CachedAttention {
  const { nHeads, nKvHeads, headDim: d, positionIds, positions, pastKeyT, pastValue } = options;
  if (nHeads % nKvHeads !== 0) throw new GraphError(`cachedAttention: ${nHeads} heads is not a multiple of ${nKvHeads} KV heads`);
  const group = nHeads / nKvHeads;
  const [b, n] = q.shape as [number, number];
  const c = pastValue.shape[2]!;
  const expect = (x: Tensor, shape: readonly number[], what: string) => {
    if (x.shape.length !== shape.length || x.shape.some((s, i) => s !== shape[i])) throw new GraphError(`cachedAttention: ${what} must be ${formatShape(shape)}, got ${formatShape(x.shape)}`);
  };
  expect(q, [b, n, nHeads * d], 'q');
  expect(k, [b, n, nKvHeads * d], 'k');
  expect(v, [b, n, nKvHeads * d], 'v');
  expect(positionIds, [b, n], 'positionIds');
  expect(positions, [b, n], 'positions');
  expect(pastKeyT, [b, nKvHeads, d, c], 'pastKeyT');
  expect(pastValue, [b, nKvHeads, c, d], 'pastValue');
  if (positionIds.dtype !== 'int64') throw new GraphError(`cachedAttention: positionIds must be int64, got ${positionIds.dtype}`);

  const g = q.graph;
  const dtype = q.dtype;
  const scale = 1 / Math.sqrt(d);
  const tables = rotaryTableData(c, d, options.ropeTheta, dtype, options.ropeInvFreq);
  const key = `cache:${c}:${d}:${options.ropeTheta}${options.ropeInvFreq ? `:${options.ropeInvFreq.join(',')}` : ''}`;
  const qr = rotaryConstants(g, tables, dtype, [c, d], scale, key);
  const kr = rotaryConstants(g, tables, dtype, [c, d], 1, key);
  const at = (table: Tensor) => reshape(gather(table, positionIds), [b, n, 1, d]); // each token's row of the table
  const q4 = applyRotary(reshape(q, [b, n, nHeads, d]), at(qr.cos), at(qr.sin));
  const k4 = applyRotary(reshape(k, [b, n, nKvHeads, d]), at(kr.cos), at(kr.sin));

  const iota = g.memo(`iota:${c}:${dtype}`, () => g.constant(dtype, [c], Array.from({ length: c }, (_, i) => i)));
  const column = reshape(positions, [b, n, 1]);
  const write = cast(equal(column, iota), dtype); // [B, K, C]: token i goes to its position
  const keep = sub(1, reduceSum(write, [1])); // [B, C]: 0 where a token is written
  const newKeyT = transpose(k4, [0, 2, 3, 1]); // [B, KV, D, K]
  const newValue = transpose(reshape(v, [b, n, nKvHeads, d]), [0, 2, 1, 3]); // [B, KV, K, D]
  const keyT = add(mul(pastKeyT, reshape(keep, [b, 1, 1, c])), matmul(newKeyT, reshape(write, [b, 1, n, c])));
  const value = add(mul(pastValue, reshape(keep, [b, 1, c, 1])), matmul(transpose(reshape(write, [b, 1, n, c]), [0, 1, 3, 2]), newValue));

  const qh = reshape(transpose(reshape(q4, [b, n, nKvHeads, group, d]), [0, 2, 3, 1, 4]), [b, nKvHeads, group * n, d]);
  const scores = reshape(matmul(qh, keyT), [b, nKvHeads, group, n, c]);
  const bias = reshape(mul(cast(greater(iota, column), dtype), MASKED), [b, 1, 1, n, c]); // keys after the query's position
  const probs = softmax(add(scores, bias));
  const out = reshape(matmul(reshape(probs, [b, nKvHeads, group * n, c]), value), [b, nKvHeads, group, n, d]);
  return { out: reshape(transpose(out, [0, 3, 1, 2, 4]), [b, n, nHeads * d]), keyT, value };
}
