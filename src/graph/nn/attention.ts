import { add, matmul, mul, reshape, softmax, sub, transpose } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { GraphError, formatShape } from '../shape.ts';
import { applyRotary, rotaryConstants, rotaryTableData } from './rotary.ts';

/**
 * Causal self-attention with grouped KV heads (GQA) and a float key-padding mask, as in Hugging Face
 * Llama/Qwen2 (head h uses KV head floor(h / G), G = nHeads / nKvHeads).
 *
 * Layout: the G query heads that share a KV head are stacked as rows, [B, KV, G*T, D], against the KV
 * heads as [B, KV, T, D]: no Expand/Tile of K or V, and their gradients are MatMuls over G*T rows. The
 * scores are viewed as [B, KV, G, T, T] for the bias and the softmax.
 */

/** -1e9 rather than -inf: a fully masked row then gives a finite (uniform) softmax instead of NaN. */
export const MASKED = -1e9;

/**
 * The additive attention bias [B, 1, 1, T, T] (broadcasting over KV heads and groups): 0 where query t
 * may attend key s (s <= t and key s is not padding), MASKED (or twice it) elsewhere.
 * `attentionMask` is float [B, T]: 1 for real tokens, 0 for padding. Build it once per forward pass and
 * pass it to every layer. The causal part is a constant.
 */
export function attentionBias(attentionMask: Tensor): Tensor {
  if (attentionMask.shape.length !== 2) throw new GraphError(`attentionBias: attention mask must be [B, T], got ${formatShape(attentionMask.shape)}`);
  const [b, t] = attentionMask.shape as [number, number];
  const g = attentionMask.graph;
  const causal = g.memo(`causal:${t}:${attentionMask.dtype}`, () => {
    const data = new Array<number>(t * t);
    for (let i = 0; i < t; i++) for (let j = 0; j < t; j++) data[i * t + j] = j <= i ? 0 : MASKED;
    return g.constant(attentionMask.dtype, [t, t], data);
  });
  const padding = mul(sub(attentionMask, 1), -MASKED); // 0 for tokens, MASKED for padding
  return add(reshape(padding, [b, 1, 1, 1, t]), causal);
}

export interface AttentionOptions {
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly headDim: number;
  /** From attentionBias. */
  readonly bias: Tensor;
  /** Rotary embedding base (rope_theta); omitted: no rotary embedding. Positions are 0..T-1. */
  readonly ropeTheta?: number;
  /** Scaled RoPE: these headDim / 2 inverse frequencies replace those of ropeTheta (which must be given too). */
  readonly ropeInvFreq?: readonly number[];
}

/**
 * q: [B, T, nHeads * headDim], k and v: [B, T, nKvHeads * headDim] (the projections' outputs).
 * Returns softmax(q k^T / sqrt(D) + bias) v with heads merged back: [B, T, nHeads * headDim].
 */
export function causalAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions): Tensor {
  const { nHeads, nKvHeads, headDim: d, bias } = options;
  if (nHeads % nKvHeads !== 0) throw new GraphError(`causalAttention: ${nHeads} heads is not a multiple of ${nKvHeads} KV heads`);
  const group = nHeads / nKvHeads;
  const [b, t] = q.shape as [number, number];
  const want = (x: Tensor, heads: number, what: string) => {
    if (x.shape.length !== 3 || x.shape[0] !== b || x.shape[1] !== t || x.shape[2] !== heads * d) {
      throw new GraphError(`causalAttention: ${what} must be [${b}, ${t}, ${heads * d}], got ${formatShape(x.shape)}`);
    }
  };
  want(q, nHeads, 'q');
  want(k, nKvHeads, 'k');
  want(v, nKvHeads, 'v');
  if (bias.shape.length !== 5 || bias.shape[3] !== t || bias.shape[4] !== t) {
    throw new GraphError(`causalAttention: bias must be [B, 1, 1, ${t}, ${t}] (attentionBias), got ${formatShape(bias.shape)}`);
  }

  const scale = 1 / Math.sqrt(d);
  let q4 = reshape(q, [b, t, nHeads, d]);
  let k4 = reshape(k, [b, t, nKvHeads, d]);
  if (options.ropeTheta !== undefined) {
    const tables = rotaryTableData(t, d, options.ropeTheta, q.dtype, options.ropeInvFreq);
    const key = `${t}:${d}:${options.ropeTheta}${options.ropeInvFreq ? `:${options.ropeInvFreq.join(',')}` : ''}`;
    // The query's tables carry the 1/sqrt(D) scale, which saves a Mul over the queries.
    const qr = rotaryConstants(q.graph, tables, q.dtype, [t, 1, d], scale, key);
    const kr = rotaryConstants(q.graph, tables, q.dtype, [t, 1, d], 1, key);
    q4 = applyRotary(q4, qr.cos, qr.sin);
    k4 = applyRotary(k4, kr.cos, kr.sin);
  } else {
    q4 = mul(q4, scale);
  }
  const qh = reshape(transpose(reshape(q4, [b, t, nKvHeads, group, d]), [0, 2, 3, 1, 4]), [b, nKvHeads, group * t, d]);
  const kh = transpose(k4, [0, 2, 3, 1]); // [B, KV, D, T]
  const vh = transpose(reshape(v, [b, t, nKvHeads, d]), [0, 2, 1, 3]); // [B, KV, T, D]
  const scores = reshape(matmul(qh, kh), [b, nKvHeads, group, t, t]);
  const probs = softmax(add(scores, bias)); // [B, KV, G, T, T]
  const out = reshape(matmul(reshape(probs, [b, nKvHeads, group * t, t]), vh), [b, nKvHeads, group, t, d]);
  return reshape(transpose(out, [0, 3, 1, 2, 4]), [b, t, nHeads * d]);
}
