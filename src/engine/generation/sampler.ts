import { SeededRandom } from '../../models/random.ts';
import { EngineError } from '../errors.ts';

/** How the next token is chosen from the logits (GenerateRequest's names and defaults). */
export interface SamplingSettings {
  /** 0 (default): greedy. Otherwise the logits are divided by it before top-p and the draw. */
  readonly temperature?: number;
  /** Nucleus sampling's mass, 0 < topP <= 1; default 1 (no cut). Ignored when greedy, as transformers does. */
  readonly topP?: number;
  /** Seed of the draws (a non-negative integer, taken modulo 2^32); default 0. */
  readonly seed?: number;
}

/** Picks one token id from one position's logits ([vocab]); each sampler keeps its own random state. */
export type Sampler = (logits: Float32Array) => number;

/**
 * A sampler for these settings, after transformers' order of warpers: logits / temperature, then top-p
 * (TopPLogitsWarper), then a draw from the softmax of what is left. Greedy (temperature 0) is torch.argmax: the
 * lowest id among equal maxima. The draws come from models/random.ts' xoshiro128** seeded with `seed`, so the same
 * settings and logits give the same ids on every run and machine (not torch's ids: its generator is another).
 * Settings out of range are an EngineError of kind 'usage' naming the field; logits with NaN, or with no finite
 * value, are an 'internal' one (a broken graph, not a choice to make silently).
 */
export function createSampler(settings: SamplingSettings = {}): Sampler {
  const temperature = settings.temperature ?? 0;
  const topP = settings.topP ?? 1;
  const seed = settings.seed ?? 0;
  if (!Number.isFinite(temperature) || temperature < 0) throw new EngineError('usage', `temperature must be a number >= 0 (0 is greedy), got ${temperature}`);
  if (!Number.isFinite(topP) || topP <= 0 || topP > 1) throw new EngineError('usage', `topP must be a number in (0, 1], got ${topP}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new EngineError('usage', `seed must be a non-negative integer, got ${seed}`);
  if (temperature === 0) return greedy;
  const random = new SeededRandom(seed);
  return (logits) => {
    const probabilities = softmax(logits, temperature);
    const kept = topP < 1 ? topPTokens(probabilities, topP) : null;
    return draw(probabilities, kept, random.uniform());
  };
}

/** The first index of the largest logit. */
function greedy(logits: Float32Array): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (Number.isNaN(v)) throw new EngineError('internal', `the logits have NaN at token ${i}`);
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  if (bestValue === -Infinity) throw new EngineError('internal', 'the logits have no finite value');
  return best;
}

/**
 * softmax(logits / temperature) in float64. The maximum is subtracted before dividing, so a tiny temperature gives
 * exp(-large) = 0 rather than Infinity - Infinity.
 */
function softmax(logits: Float32Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (Number.isNaN(v)) throw new EngineError('internal', `the logits have NaN at token ${i}`);
    if (v > max) max = v;
  }
  if (max === -Infinity || max === Infinity) throw new EngineError('internal', 'the logits have no finite maximum');
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i]! - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/**
 * The ids top-p keeps, most probable first: a token is kept when the tokens ranked before it have less than topP of
 * the mass (transformers' TopPLogitsWarper removes a token when the ascending cumulative sum up to it is <= 1 - topP:
 * the same set), so the kept set is the smallest prefix reaching topP, and never empty. Among equal probabilities
 * the lower id ranks first.
 * Only the candidates with p >= c are sorted, c halving from the largest p until their mass reaches topP: every
 * kept token is among them, because the ones left out rank after all of them.
 */
export function topPTokens(probabilities: Float64Array, topP: number): number[] {
  let threshold = probabilities.reduce((a, p) => Math.max(a, p), 0);
  const above = (c: number) => {
    const ids: number[] = [];
    let mass = 0;
    for (let i = 0; i < probabilities.length; i++) {
      if (probabilities[i]! >= c) {
        ids.push(i);
        mass += probabilities[i]!;
      }
    }
    return { ids, mass };
  };
  let { ids: candidates, mass } = above(threshold);
  while (mass < topP && threshold > 0) {
    threshold /= 2;
    ({ ids: candidates, mass } = above(threshold));
  }
  candidates.sort((a, b) => probabilities[b]! - probabilities[a]! || a - b);
  const kept: number[] = [];
  let before = 0;
  for (const id of candidates) {
    if (kept.length > 0 && before >= topP) break;
    kept.push(id);
    before += probabilities[id]!;
  }
  return kept;
}

/** Inverse-CDF draw with u in [0, 1) over the kept ids (every id when null), renormalised over them. */
function draw(probabilities: Float64Array, kept: readonly number[] | null, u: number): number {
  const count = kept?.length ?? probabilities.length;
  const idAt = kept ? (k: number) => kept[k]! : (k: number) => k;
  let total = 0;
  for (let k = 0; k < count; k++) total += probabilities[idAt(k)]!;
  const target = u * total;
  let cumulative = 0;
  let last = idAt(0);
  for (let k = 0; k < count; k++) {
    const id = idAt(k);
    const p = probabilities[id]!;
    if (p === 0) continue;
    cumulative += p;
    last = id;
    if (cumulative > target) return id;
  }
  // Rounding left the sum a hair below u * total: the last token with mass is the one the draw reached.
  return last;
}
