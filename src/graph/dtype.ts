/**
 * Element types a graph tensor may have. float64 exists for gradient checks; int64 only where ONNX
 * demands it (Gather indices); bool as the output of a comparison, consumed by Where or Cast (and one constant
 * true, the condition of nn/loss.ts's ordering edge).
 * Shape arguments (Reshape, Expand, Slice, ReduceSum axes, ...) are attributes in the IR and become
 * int64 initializers only at emission.
 */
export type DType = 'float32' | 'float64' | 'int64' | 'bool';

export const isFloat = (dtype: DType): dtype is 'float32' | 'float64' => dtype === 'float32' || dtype === 'float64';

/** Bytes per element, as stored in ONNX raw_data (bool is one byte per element). */
export const bytesPerElement: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int64: 8, bool: 1 };

/** The typed array that holds the data of an initializer or constant of each dtype. */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

/** Makes a typed array of `dtype` from plain numbers (int64 values must be safe integers). */
export function typedArrayOf(dtype: DType, values: ArrayLike<number>): TensorData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int64':
      return BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
    case 'bool':
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
  }
}

/** Whether `data` is the typed array that `dtype` requires. */
export function dataMatchesDType(dtype: DType, data: TensorData): boolean {
  switch (dtype) {
    case 'float32':
      return data instanceof Float32Array;
    case 'float64':
      return data instanceof Float64Array;
    case 'int64':
      return data instanceof BigInt64Array;
    case 'bool':
      return data instanceof Uint8Array;
  }
}
