/** Element types a graph tensor may have. float64 exists for gradient checks; int64 only where ONNX demands it. */
export type DType = 'float32' | 'float64' | 'int64';
