/**
 * A small seeded random number generator, so that adapter initialisation and random base weights are the same
 * on every run, browser and machine for the same seed.
 *
 * Algorithm (fixed; changing it changes every seeded initialisation, so it is pinned by known-answer tests):
 * - state: xoshiro128** (Blackman and Vigna, 2018, https://prng.di.unimi.it/xoshiro128starstar.c), four
 *   32-bit words;
 * - seeding: the four words are the first four outputs of a SplitMix-style generator started at the 32-bit
 *   seed: a Weyl sequence z += 0x9e3779b9, each value finalised by MurmurHash3's fmix32
 *   (x = (x ^ x>>>16) * 0x85ebca6b; x = (x ^ x>>>13) * 0xc2b2ae35; x ^= x>>>16), all modulo 2^32;
 * - uniform(): a double in [0, 1) from 53 random bits: (a >>> 5) * 2^26 + (b >>> 6), over 2^53, where a and b
 *   are two consecutive outputs;
 * - normal(): Box-Muller on two uniforms, u1 replaced by 1 - u1 so log never sees 0; each call uses two
 *   uniforms and returns the cosine branch only (simple and stateless beyond the generator).
 * scripts/fixtures/rng_reference.py reimplements this in Python; its outputs are the test's known answers.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` is taken modulo 2^32 (a non-negative safe integer is expected). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    }
    let z = seed >>> 0;
    const next = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      let x = z;
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
      return (x ^ (x >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32-bit output of xoshiro128**, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A double uniformly distributed in [0, 1), 53 bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal sample (Box-Muller, cosine branch). */
  normal(): number {
    const u1 = 1 - this.uniform(); // in (0, 1]
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Fills a new Float32Array with N(mean, std^2) samples. */
  normalArray(length: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** Fills a new Float32Array with samples uniform in [low, high). */
  uniformArray(length: number, low: number, high: number): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
