/**
 * Conversions between float32 and the two 16-bit float formats of checkpoints: IEEE 754 binary16 (F16) and
 * bfloat16 (BF16). Decoding is exact; encoding rounds to nearest, ties to even, as torch does.
 */

/** IEEE 754 binary16 bits to float32, exactly (subnormals, infinities and NaN included). */
export function f16ToF32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[i] = mantissa ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

/** bfloat16 bits to float32, exactly: bfloat16 is the upper half of a float32. */
export function bf16ToF32(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i]! << 16;
  return new Float32Array(words.buffer);
}

/** float32 to bfloat16 bits, rounding to nearest even (as torch does); NaN stays a quiet NaN. */
export function f32ToBf16(values: Float32Array): Uint16Array {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const w = words[i]!;
    if ((w & 0x7fffffff) > 0x7f800000) out[i] = (w >>> 16) | 0x40;
    else out[i] = (w + 0x7fff + ((w >>> 16) & 1)) >>> 16;
  }
  return out;
}

/** float32 to IEEE binary16 bits, rounding to nearest even; overflow gives infinity, tiny values subnormals. */
export function f32ToF16(values: Float32Array): Uint16Array {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const w = words[i]!;
    const sign = (w >>> 16) & 0x8000;
    const exponent = (w >>> 23) & 0xff;
    const mantissa = w & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign; // rounds to zero
        continue;
      }
      // Subnormal: shift the full 24-bit significand, rounding to nearest even.
      const significand = mantissa | 0x800000;
      const shift = 14 - e;
      const half = 1 << (shift - 1);
      const rest = significand & ((1 << shift) - 1);
      let h = significand >>> shift;
      if (rest > half || (rest === half && h & 1)) h++;
      out[i] = sign | h;
    } else {
      let h = (e << 10) | (mantissa >>> 13);
      const rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // may carry into the exponent: correct rounding
      out[i] = sign | h;
    }
  }
  return out;
}
