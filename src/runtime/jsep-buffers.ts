/**
 * How onnxruntime-web 1.30's JSEP WebGPU EP (the studio's build) turns tensor allocations into GPU buffers
 * (lib/wasm/jsep/webgpu/gpu-data-manager.ts), as a model for the memory estimate:
 * - a tensor's buffer is rounded up to the smallest bucket that holds it (sizes above the largest bucket: to 16
 *   bytes), so a 9.4 MB tensor takes a 12 MiB buffer;
 * - a released buffer waits until the next flush of the command encoder (every 16 dispatches, and at the end of a
 *   run), then goes to its bucket's free list, up to the bucket's cap, or is destroyed (sizes without a bucket
 *   always are); `create` takes a free buffer of the bucket before it makes a new one.
 * (Under graph capture JSEP keeps what a recording run releases; run-memory.ts says why that is not modelled.)
 * Buffers made outside onnxruntime (the backend's resident weights and state) are exact sizes, padded to 16.
 */

/** [bucket bytes, free buffers kept]: gpu-data-manager.ts's bucketFreelist. */
const BUCKETS: readonly (readonly [number, number])[] = [
  [64, 250],
  [128, 200],
  [256, 200],
  [512, 200],
  [2048, 230],
  [4096, 200],
  [8192, 50],
  [16384, 50],
  [32768, 50],
  [65536, 50],
  [131072, 50],
  [262144, 50],
  [524288, 50],
  [1048576, 50],
  [2097152, 30],
  [4194304, 20],
  [8388608, 10],
  [12582912, 10],
  [16777216, 10],
  [26214400, 15],
  [33554432, 22],
  [44236800, 2],
  [58982400, 6],
  [67108864, 6],
  [134217728, 6],
  [167772160, 6],
];
const KEPT = new Map(BUCKETS);

/** backend-webgpu.ts maxDispatchNumber: the encoder is flushed (and released buffers recycled) after this many. */
export const DISPATCHES_PER_FLUSH = 16;

export const padded16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The size of the GPU buffer JSEP makes for a tensor of `bytes`. */
export function jsepBufferBytes(bytes: number): number {
  for (const [bucket] of BUCKETS) if (bytes <= bucket) return bucket;
  return padded16(bytes);
}

/** The largest JSEP buffer that is at most `limit` bytes: a bucket, or `limit` itself above the largest bucket. */
export function largestJsepBufferWithin(limit: number): number {
  const largest = BUCKETS[BUCKETS.length - 1]![0];
  if (limit > largest) return Math.floor(limit / 16) * 16;
  let best = 0;
  for (const [bucket] of BUCKETS) if (bucket <= limit) best = bucket;
  return best;
}

/** Live bytes of GPU buffers (made and not destroyed, free-listed ones included) as a run allocates and releases. */
export class JsepBuffers {
  /**
   * @param dispatchesPerFlush how many `dispatch` calls make a flush: JSEP's DISPATCHES_PER_FLUSH, or another
   *   window where a caller's dispatches are not JSEP's own (run-memory.ts counts graph nodes).
   */
  constructor(private readonly dispatchesPerFlush = DISPATCHES_PER_FLUSH) {}

  liveBytes = 0;
  peakBytes = 0;
  largestBytes = 0;
  private readonly free = new Map<number, number>();
  private pending: number[] = [];
  private dispatches = 0;

  /** A buffer for a tensor of `bytes` (onnxruntime's allocation); returns the buffer's size, to release it with. */
  create(bytes: number): number {
    const size = jsepBufferBytes(bytes);
    const free = this.free.get(size) ?? 0;
    if (free > 0) this.free.set(size, free - 1);
    else this.grow(size);
    return size;
  }

  /** A buffer made outside onnxruntime (exact size); `destroy` it with the same bytes. */
  external(bytes: number): void {
    this.grow(padded16(bytes));
  }

  destroy(bytes: number): void {
    this.liveBytes -= padded16(bytes);
  }

  release(size: number): void {
    this.pending.push(size);
  }

  /** One kernel's dispatch; every `dispatchesPerFlush` of them flush. */
  dispatch(): void {
    if (++this.dispatches >= this.dispatchesPerFlush) this.flush();
  }

  flush(): void {
    this.dispatches = 0;
    for (const size of this.pending) {
      const free = this.free.get(size) ?? 0;
      if (free < (KEPT.get(size) ?? 0)) this.free.set(size, free + 1);
      else this.liveBytes -= size;
    }
    this.pending = [];
  }

  private grow(size: number): void {
    this.liveBytes += size;
    this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
    this.largestBytes = Math.max(this.largestBytes, size);
  }
}
