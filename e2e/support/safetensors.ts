/**
 * A safetensors file's tensors as float32 values, read from its header (8 bytes of header length, then the JSON of
 * names, dtypes, shapes and data offsets) apart from the studio's models/safetensors.ts, so a test reads the file as
 * transformers would. F32 and BF16 only (the demo model's and an exported model's dtypes).
 */
export interface ReadTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export function readSafetensors(bytes: Buffer): Map<string, ReadTensor> {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const body = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, ReadTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [start, end] = entry.data_offsets;
    const data = body.subarray(start, end);
    const count = entry.shape.reduce((a, d) => a * d, 1);
    const values = new Float32Array(count);
    if (entry.dtype === 'F32') for (let i = 0; i < count; i++) values[i] = data.readFloatLE(4 * i);
    else if (entry.dtype === 'BF16') {
      // bfloat16 is the upper half of a float32.
      const word = Buffer.alloc(4);
      for (let i = 0; i < count; i++) {
        word.writeUInt32LE((data.readUInt16LE(2 * i) << 16) >>> 0);
        values[i] = word.readFloatLE(0);
      }
    } else throw new Error(`${name}: dtype ${entry.dtype} is not read here`);
    tensors.set(name, { dtype: entry.dtype, shape: entry.shape, values });
  }
  return tensors;
}
