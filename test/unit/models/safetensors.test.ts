import { describe, expect, it } from 'vitest';
import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16 } from '../../../src/models/half-precision.ts';
import {
  MAX_HEADER_BYTES,
  SafetensorsError,
  readSafetensors,
  readSafetensorsHeader,
  writeSafetensors,
} from '../../../src/models/safetensors.ts';

/** A file with a hand-written header (string or object) and data, for the malformed cases. */
function file(header: unknown, data = new Uint8Array(0), headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.byteLength), true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

const f32 = (name: string, shape: number[], begin: number) => ({
  [name]: { dtype: 'F32', shape, data_offsets: [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)] },
});

function readError(bytes: Uint8Array): string {
  try {
    readSafetensors(bytes, 'weights.safetensors');
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    return (error as Error).message;
  }
  throw new Error('expected a SafetensorsError');
}

describe('safetensors round trip', () => {
  const tensors = {
    weight: { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, -1e30]) },
    scalar: { dtype: 'F32', shape: [], data: Float32Array.from([6.25]) },
    empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
    precise: { dtype: 'F64', shape: [3], data: Float64Array.from([Math.PI, -1e-300, 2 ** 60]) },
    half: { dtype: 'F16', shape: [4], data: Float32Array.from([1, -2, 0.5, 65504]) },
    brain: { dtype: 'BF16', shape: [2, 2], data: Float32Array.from([1, -2, 0.5, 3e38]) },
    ids: { dtype: 'I64', shape: [3], data: BigInt64Array.from([0n, -1n, 2n ** 62n]) },
  } as const;
  const bytes = writeSafetensors(tensors, { format: 'pt', note: 'ünïcode' });
  const read = readSafetensors(bytes);

  it('reads back every dtype, shape and value, and the metadata', () => {
    expect(read.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    expect([...read.tensors.keys()].sort()).toEqual(Object.keys(tensors).sort());
    expect(read.info('weight')).toMatchObject({ dtype: 'F32', shape: [2, 3], byteLength: 24 });
    expect(read.float32('weight')).toEqual(tensors.weight.data);
    expect(read.float32('scalar')).toEqual(Float32Array.from([6.25]));
    expect(read.info('scalar').shape).toEqual([]);
    expect(read.float32('empty')).toHaveLength(0);
    expect(read.float64('precise')).toEqual(tensors.precise.data);
    expect(read.float32('half')).toEqual(Float32Array.from([1, -2, 0.5, 65504]));
    expect(read.float32('brain')).toEqual(bf16ToF32(f32ToBf16(tensors.brain.data)));
    expect(read.int64('ids')).toEqual(tensors.ids.data);
    expect(read.float64('weight')).toEqual(Float64Array.from(tensors.weight.data));
    expect(read.float64('half')).toEqual(Float64Array.from([1, -2, 0.5, 65504]));
    expect(read.float32('precise')).toEqual(Float32Array.from(tensors.precise.data));
  });

  it('lays tensors out aligned: header padded to 8 bytes, larger elements first, data contiguous', () => {
    expect(read.dataOffset % 8).toBe(0);
    const infos = [...read.tensors.values()];
    const size: Record<string, number> = { I64: 8, F64: 8, F32: 4, F16: 2, BF16: 2 };
    for (const t of infos) expect(t.byteOffset % size[t.dtype]!).toBe(0);
    // By element size, then name: "brain" (BF16) before "half" (F16).
    expect(infos.map((t) => t.dtype)).toEqual(['I64', 'F64', 'F32', 'F32', 'F32', 'BF16', 'F16']);
    expect(read.dataOffset + read.dataByteLength).toBe(bytes.byteLength);
  });

  it('returns views without copying when aligned, and correct copies when not', () => {
    expect(read.float32('weight').buffer).toBe(bytes.buffer);
    expect(read.float64('precise').buffer).toBe(bytes.buffer);
    expect(read.bytes('weight').buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const unaligned = readSafetensors(shifted.subarray(1));
    const weight = unaligned.float32('weight');
    expect(weight.buffer).not.toBe(shifted.buffer);
    expect(weight).toEqual(tensors.weight.data);
    expect(unaligned.int64('ids')).toEqual(tensors.ids.data);
  });

  it('accepts an ArrayBuffer and a header parsed from a prefix of the file', () => {
    expect(readSafetensors(bytes.slice().buffer).float32('scalar')[0]).toBe(6.25);
    const header = readSafetensorsHeader(bytes.subarray(0, read.dataOffset));
    expect(header.tensors.get('ids')).toEqual(read.info('ids'));
    expect(() => readSafetensorsHeader(bytes.subarray(0, read.dataOffset), 'x', read.dataOffset)).toThrow(/truncated/);
  });

  it('writes F16/BF16 given as raw bits unchanged', () => {
    const bits = Uint16Array.from([0x3c00, 0x7c00, 0x0001]);
    const back = readSafetensors(writeSafetensors({ h: { dtype: 'F16', shape: [3], data: bits } }));
    expect(back.bytes('h')).toEqual(new Uint8Array(bits.buffer));
    expect(back.float32('h')).toEqual(Float32Array.from([1, Infinity, 2 ** -24]));
  });

  it('refuses bad tensors to write', () => {
    expect(() => writeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } })).toThrow(/"w": shape \[2, 2\] has 4 elements, data has 3/);
    expect(() => writeSafetensors({ __metadata__: { dtype: 'F32', shape: [1], data: new Float32Array(1) } })).toThrow(/reserved/);
    expect(() => writeSafetensors({ w: { dtype: 'F32', shape: [-1], data: new Float32Array(0) } })).toThrow(/non-negative integers/);
  });
});

describe('half-precision conversions', () => {
  it('decodes known float16 values, subnormals and specials', () => {
    const bits = Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x8000, 0x7c00, 0xfc00, 0x3555]);
    const values = f16ToF32(bits);
    expect([...values.slice(0, 8)]).toEqual([1, -2, 65504, 2 ** -24, 1023 * 2 ** -24, -0, Infinity, -Infinity]);
    expect(values[8]).toBeCloseTo(1 / 3, 3);
    expect(f16ToF32(Uint16Array.from([0x7e00]))[0]).toBeNaN();
  });

  it('float16: every finite half round-trips through float32 bit-exactly', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const finite = all.filter((h) => (h & 0x7c00) !== 0x7c00 || (h & 0x3ff) === 0);
    expect(f32ToF16(f16ToF32(finite))).toEqual(finite);
  });

  it('float16: rounds to nearest even, overflows to infinity, underflows to zero', () => {
    const cases: [number, number][] = [
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and 1 + 2^-10: even is 1
      [1 + 3 * 2 ** -11, 0x3c02], // halfway: even is 1 + 2^-9
      [1 + 2 ** -11 + 2 ** -20, 0x3c01], // above halfway
      [65520, 0x7c00], // halfway between 65504 and 65536: rounds to infinity
      [65519, 0x7bff],
      [2 ** -25, 0x0000], // halfway between 0 and the smallest subnormal: even is 0
      [3 * 2 ** -26, 0x0001],
      [2 ** -30, 0x0000],
      [-(2 ** -14), 0x8400], // smallest normal
      [0.1, 0x2e66],
    ];
    for (const [value, bits] of cases) expect(f32ToF16(Float32Array.from([value]))[0], `${value}`).toBe(bits);
    expect(f32ToF16(Float32Array.from([NaN]))[0]! & 0x7c00).toBe(0x7c00);
    expect(f32ToF16(Float32Array.from([NaN]))[0]! & 0x3ff).not.toBe(0);
  });

  it('bfloat16: every non-NaN value round-trips; rounding is to nearest even', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const finite = all.filter((h) => (h & 0x7f80) !== 0x7f80 || (h & 0x7f) === 0);
    expect(f32ToBf16(bf16ToF32(finite))).toEqual(finite);
    const round = (v: number) => f32ToBf16(Float32Array.from([v]))[0];
    expect(round(1 + 2 ** -8)).toBe(0x3f80); // halfway: even is 1
    expect(round(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(round(1 + 2 ** -8 + 2 ** -20)).toBe(0x3f81);
    expect(bf16ToF32(Uint16Array.from([round(NaN)!]))[0]).toBeNaN();
  });
});

describe('malformed safetensors files are refused with a clear message', () => {
  const data = new Uint8Array(16);

  it('truncated before the header length', () => {
    expect(readError(new Uint8Array(5))).toBe('weights.safetensors: truncated: 5 bytes, but a safetensors file starts with an 8-byte header length');
  });

  it('truncated inside the header', () => {
    expect(readError(file(f32('w', [4], 0), data, 10_000))).toMatch(/truncated: the header needs 10000 bytes after the length/);
  });

  it('header length beyond the limit', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES) + 1n, true);
    expect(readError(bytes)).toMatch(/exceeds the 100000000-byte limit/);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(readError(bytes)).toMatch(/exceeds/);
  });

  it('header not UTF-8, not JSON, not an object', () => {
    const bad = file('{"a":1}');
    bad[10] = 0xff;
    expect(readError(bad)).toMatch(/not valid UTF-8/);
    expect(readError(file('{"w": '))).toMatch(/header is not valid JSON/);
    expect(readError(file('[1, 2]'))).toMatch(/must be a JSON object starting with "\{"/);
  });

  it('unknown dtype', () => {
    expect(readError(file({ w: { dtype: 'F4', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)))).toBe(
      'weights.safetensors: tensor "w" has unknown dtype "F4"',
    );
  });

  it('bad entry, shape or offsets', () => {
    expect(readError(file({ w: 3 }))).toMatch(/tensor "w" must be an object/);
    expect(readError(file({ w: { dtype: 'F32', shape: [2.5], data_offsets: [0, 4] } }))).toMatch(/tensor "w" has shape \[2.5\]/);
    expect(readError(file({ w: { dtype: 'F32', shape: [1], data_offsets: [0] } }))).toMatch(/tensor "w" has data_offsets \[0\]/);
    expect(readError(file({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }))).toMatch(/end before begin/);
  });

  it('byte length that does not match the shape', () => {
    expect(readError(file({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)))).toBe(
      'weights.safetensors: tensor "w": F32 shape [3] needs 12 bytes, data_offsets [0, 8] hold 8',
    );
  });

  it('offsets out of range (data truncated)', () => {
    expect(readError(file({ ...f32('a', [2], 0), ...f32('b', [2], 8) }, new Uint8Array(12)))).toMatch(
      /truncated: tensor "b" ends at byte \d+, but the file has \d+ bytes \(data_offsets out of range\)/,
    );
  });

  it('overlapping tensors', () => {
    expect(readError(file({ ...f32('a', [3], 0), ...f32('b', [2], 8) }, data))).toMatch(/tensor "b" overlaps tensor "a"/);
  });

  it('holes and trailing bytes', () => {
    expect(readError(file({ ...f32('a', [1], 0), ...f32('b', [2], 8) }, data))).toMatch(/hole of 4 bytes before tensor "b"/);
    expect(readError(file(f32('a', [2], 0), data))).toMatch(/8 bytes after the last tensor are not described by the header/);
  });

  it('metadata that is not a map of strings', () => {
    expect(readError(file({ __metadata__: { version: 2 } }))).toMatch(/"__metadata__"."version" must be a string/);
    expect(readError(file({ __metadata__: [1] }))).toMatch(/"__metadata__" must be an object of strings/);
  });

  it('asking for a missing tensor or the wrong dtype', () => {
    const read = readSafetensors(writeSafetensors({ ids: { dtype: 'I64', shape: [1], data: BigInt64Array.from([1n]) } }), 'batch.safetensors');
    expect(() => read.info('labels')).toThrow('batch.safetensors: no tensor named "labels"');
    expect(() => read.float32('ids')).toThrow('batch.safetensors: tensor "ids" has dtype I64; float32() reads F32, F16, BF16 and F64');
    const floats = readSafetensors(writeSafetensors({ x: { dtype: 'F32', shape: [1], data: Float32Array.from([1]) } }));
    expect(() => floats.int64('x')).toThrow(/tensor "x" has dtype F32; int64\(\) reads I64/);
  });

  it('accepts an empty file with an empty header and dtypes it cannot convert, reading their bytes', () => {
    expect(readSafetensors(file('{}')).tensors.size).toBe(0);
    const read = readSafetensors(file({ m: { dtype: 'U8', shape: [2], data_offsets: [0, 2] } }, Uint8Array.from([7, 9])));
    expect([...read.bytes('m')]).toEqual([7, 9]);
    expect(() => read.float64('m')).toThrow(/dtype U8/);
  });
});
