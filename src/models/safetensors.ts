/**
 * Pure-TypeScript reader and writer of the safetensors format
 * (https://github.com/huggingface/safetensors, "Format"):
 *
 *     [8 bytes: N, unsigned little-endian 64-bit]
 *     [N bytes: UTF-8 JSON header, may be right-padded with spaces]
 *     [byte buffer: the tensors' data, little-endian, row-major]
 *
 * The header maps each tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to the
 * start of the byte buffer) and may hold "__metadata__", a map of strings to strings.
 *
 * The reader is lazy: parsing reads only the header; a tensor's data is read when asked for, as a view on the
 * caller's buffer when the dtype matches and the data is aligned, otherwise as a converted copy. It validates
 * like the reference (Rust) implementation: the tensors must cover the byte buffer exactly, without overlaps,
 * holes or trailing bytes, and each tensor's byte length must equal its shape times its dtype's size.
 */

import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16 } from './half-precision.ts';
import { sizeOf } from '../graph/shape.ts';

/** Every dtype of the format whose element is a whole number of bytes, with that size. */
const DTYPE_BYTES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
} as const;

/** A dtype the header may name (parsing accepts all of them; only some can be read as numbers). */
export type SafetensorsDType = keyof typeof DTYPE_BYTES;

/** The dtypes this module reads as numbers and writes: F16/BF16 read as float32, I64 as BigInt64Array. */
export type SupportedDType = 'F32' | 'F64' | 'F16' | 'BF16' | 'I64';

/** Where one tensor lives. byteOffset is absolute (from the start of the file), not relative to the buffer. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** The parsed header: enough to fetch tensors by byte range (e.g. from a Blob) without reading the whole file. */
export interface SafetensorsHeader {
  /** Absolute byte offset of the byte buffer (8 + header length). */
  readonly dataOffset: number;
  /** Length of the byte buffer the header describes; the file's total size is dataOffset + dataByteLength. */
  readonly dataByteLength: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** In the order of their data in the file. */
  readonly tensors: ReadonlyMap<string, TensorInfo>;
}

/** A safetensors file in memory, read lazily. */
export interface SafetensorsFile extends SafetensorsHeader {
  /** The tensor's description; throws a SafetensorsError naming the missing tensor. */
  info(name: string): TensorInfo;
  /** The tensor's raw little-endian bytes (a view, never a copy). Any dtype. */
  bytes(name: string): Uint8Array;
  /** F32 (a view when 4-byte aligned), F16 and BF16 (converted exactly), F64 (rounded to float32). */
  float32(name: string): Float32Array;
  /** F64 (a view when 8-byte aligned), F32, F16 and BF16 (converted exactly). */
  float64(name: string): Float64Array;
  /** I64 only (a view when 8-byte aligned). */
  int64(name: string): BigInt64Array;
}

/** Every malformed file or misuse is reported as this, with the source's name and the tensor at fault. */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
}

/** The reference implementation refuses headers over 100 MB; so do we (a corrupt length would otherwise be read). */
export const MAX_HEADER_BYTES = 100_000_000;

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function asBytes(data: ArrayBuffer | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDType(value: unknown): value is SafetensorsDType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_BYTES, value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Parses and validates the header at the start of `bytes`. `bytes` must hold at least the 8-byte length and the
 * header; the byte buffer need not be present (pass `fileByteLength` to check the tensors fit the whole file).
 */
export function readSafetensorsHeader(
  data: ArrayBuffer | Uint8Array,
  source = 'safetensors file',
  fileByteLength?: number,
): SafetensorsHeader {
  const bytes = asBytes(data);
  const fail = (message: string): never => {
    throw new SafetensorsError(`${source}: ${message}`);
  };
  if (bytes.byteLength < 8) {
    fail(`truncated: ${bytes.byteLength} bytes, but a safetensors file starts with an 8-byte header length`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit (corrupt or not safetensors)`);
  }
  const headerBytes = Number(headerLength);
  if (bytes.byteLength < 8 + headerBytes) {
    fail(`truncated: the header needs ${headerBytes} bytes after the length, only ${bytes.byteLength - 8} present`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
  } catch {
    return fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(`header must be a JSON object starting with "{", got ${JSON.stringify(text.slice(0, 20))}`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    return fail(`header is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(header)) return fail('header must be a JSON object');

  const metadata: Record<string, string> = {};
  const rawMetadata = header.__metadata__;
  if (rawMetadata !== undefined && rawMetadata !== null) {
    if (!isRecord(rawMetadata)) fail('"__metadata__" must be an object of strings');
    for (const [key, value] of Object.entries(rawMetadata as Record<string, unknown>)) {
      if (typeof value !== 'string') fail(`"__metadata__"."${key}" must be a string, got ${JSON.stringify(value)}`);
      metadata[key] = value as string;
    }
  }

  const dataOffset = 8 + headerBytes;
  const entries: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const where = `tensor "${name}"`;
    if (!isRecord(entry)) fail(`${where} must be an object with dtype, shape and data_offsets`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (!isDType(dtype)) fail(`${where} has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every(isIndex)) {
      fail(`${where} has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
      fail(`${where} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end], non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(`${where} has data_offsets [${begin}, ${end}] with end before begin`);
    const dims = shape as number[];
    const expected = sizeOf(dims) * DTYPE_BYTES[dtype as SafetensorsDType];
    if (end - begin !== expected) {
      fail(`${where}: ${dtype as string} shape [${dims.join(', ')}] needs ${expected} bytes, data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    entries.push({ name, dtype: dtype as SafetensorsDType, shape: dims, byteOffset: dataOffset + begin, byteLength: end - begin });
  }

  // The tensors must tile the byte buffer: sorted by begin, each starts where the previous ended.
  entries.sort((a, b) => a.byteOffset - b.byteOffset || a.byteLength - b.byteLength);
  let cursor = dataOffset;
  let previous: TensorInfo | undefined;
  for (const entry of entries) {
    if (entry.byteOffset < cursor) {
      fail(`tensor "${entry.name}" overlaps tensor "${previous?.name ?? ''}" (bytes ${entry.byteOffset - dataOffset}..${cursor - dataOffset} of the data)`);
    }
    if (entry.byteOffset > cursor) {
      fail(`hole of ${entry.byteOffset - cursor} bytes before tensor "${entry.name}" (the data must be contiguous)`);
    }
    cursor = entry.byteOffset + entry.byteLength;
    previous = entry;
  }
  const dataByteLength = cursor - dataOffset;
  if (fileByteLength !== undefined) {
    if (fileByteLength < cursor) {
      fail(`truncated: tensor "${previous?.name ?? ''}" ends at byte ${cursor}, but the file has ${fileByteLength} bytes (data_offsets out of range)`);
    }
    if (fileByteLength > cursor) {
      fail(`${fileByteLength - cursor} bytes after the last tensor are not described by the header`);
    }
  }
  return { dataOffset, dataByteLength, metadata, tensors: new Map(entries.map((e) => [e.name, e])) };
}

/** Reads a whole safetensors file held in memory. Tensor data is not touched until asked for. */
export function readSafetensors(data: ArrayBuffer | Uint8Array, source = 'safetensors file'): SafetensorsFile {
  const bytes = asBytes(data);
  const header = readSafetensorsHeader(bytes, source, bytes.byteLength);
  const info = (name: string): TensorInfo => {
    const found = header.tensors.get(name);
    if (!found) throw new SafetensorsError(`${source}: no tensor named "${name}"`);
    return found;
  };
  const wrongDType = (t: TensorInfo, reader: string, accepted: string): never => {
    throw new SafetensorsError(`${source}: tensor "${t.name}" has dtype ${t.dtype}; ${reader}() reads ${accepted}`);
  };
  const raw = (name: string): [TensorInfo, Uint8Array] => {
    const t = info(name);
    return [t, bytes.subarray(t.byteOffset, t.byteOffset + t.byteLength)];
  };
  return {
    ...header,
    info,
    bytes: (name) => raw(name)[1],
    float32(name) {
      const [t, b] = raw(name);
      switch (t.dtype) {
        case 'F32':
          return typedView(b, Float32Array);
        case 'F16':
          return f16ToF32(typedView(b, Uint16Array));
        case 'BF16':
          return bf16ToF32(typedView(b, Uint16Array));
        case 'F64':
          return Float32Array.from(typedView(b, Float64Array));
        default:
          return wrongDType(t, 'float32', 'F32, F16, BF16 and F64');
      }
    },
    float64(name) {
      const [t, b] = raw(name);
      switch (t.dtype) {
        case 'F64':
          return typedView(b, Float64Array);
        case 'F32':
          return Float64Array.from(typedView(b, Float32Array));
        case 'F16':
          return Float64Array.from(f16ToF32(typedView(b, Uint16Array)));
        case 'BF16':
          return Float64Array.from(bf16ToF32(typedView(b, Uint16Array)));
        default:
          return wrongDType(t, 'float64', 'F64, F32, F16 and BF16');
      }
    },
    int64(name) {
      const [t, b] = raw(name);
      if (t.dtype !== 'I64') wrongDType(t, 'int64', 'I64');
      return typedView(b, BigInt64Array);
    },
  };
}

type TypedArrayOf<T> = {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  new (length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

/** A typed view on `bytes` when aligned (zero copy), else a copy of the bytes into a fresh array. */
function typedView<T>(bytes: Uint8Array, Type: TypedArrayOf<T>): T {
  if (!hostIsLittleEndian) throw new SafetensorsError('safetensors data is little-endian; this host is big-endian');
  const length = bytes.byteLength / Type.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % Type.BYTES_PER_ELEMENT === 0 && bytes.buffer instanceof ArrayBuffer) {
    return new Type(bytes.buffer, bytes.byteOffset, length);
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Type(copy.buffer, 0, length);
}

// ---- writing ---------------------------------------------------------------------------------------------

/**
 * One tensor to write. F32/F16/BF16 take float32 values (F16/BF16 rounded to nearest even) or, for F16/BF16,
 * their raw bits as a Uint16Array; F64 takes a Float64Array; I64 a BigInt64Array.
 */
export type TensorToWrite =
  | { dtype: 'F32'; shape: readonly number[]; data: Float32Array }
  | { dtype: 'F64'; shape: readonly number[]; data: Float64Array }
  | { dtype: 'F16' | 'BF16'; shape: readonly number[]; data: Float32Array | Uint16Array }
  | { dtype: 'I64'; shape: readonly number[]; data: BigInt64Array };

function tensorBytes(name: string, t: TensorToWrite): Uint8Array {
  const count = sizeOf(t.shape);
  if (!t.shape.every((d) => isIndex(d))) {
    throw new SafetensorsError(`tensor "${name}": shape [${t.shape.join(', ')}] must be non-negative integers`);
  }
  if (t.data.length !== count) {
    throw new SafetensorsError(`tensor "${name}": shape [${t.shape.join(', ')}] has ${count} elements, data has ${t.data.length}`);
  }
  let typed: Float32Array | Float64Array | Uint16Array | BigInt64Array = t.data;
  if (t.dtype === 'F16' && t.data instanceof Float32Array) typed = f32ToF16(t.data);
  if (t.dtype === 'BF16' && t.data instanceof Float32Array) typed = f32ToBf16(t.data);
  if (!hostIsLittleEndian) throw new SafetensorsError('safetensors data is little-endian; this host is big-endian');
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

/**
 * Serialises tensors as the reference writer does: tensors ordered by element size (largest first), then by
 * name, and the header padded with spaces to a multiple of 8 bytes, so every tensor is aligned to its element
 * size and a reader can view it without copying.
 */
export function writeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const names = Object.keys(tensors).sort((a, b) => {
    const size = DTYPE_BYTES[tensors[b]!.dtype] - DTYPE_BYTES[tensors[a]!.dtype];
    return size !== 0 ? size : a < b ? -1 : a > b ? 1 : 0;
  });
  if (names.includes('__metadata__')) throw new SafetensorsError('"__metadata__" is reserved and cannot name a tensor');
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const payload = tensorBytes(name, t);
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + payload.byteLength] };
    payloads.push(payload);
    offset += payload.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength);
  let cursor = 8 + headerLength;
  for (const payload of payloads) {
    out.set(payload, cursor);
    cursor += payload.byteLength;
  }
  return out;
}
