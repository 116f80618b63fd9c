import { describe, expect, test } from 'vitest';
import { JsepBuffers, jsepBufferBytes, largestJsepBufferWithin, DISPATCHES_PER_FLUSH } from '../../../src/runtime/jsep-buffers.ts';

const MiB = 2 ** 20;

describe('jsepBufferBytes', () => {
  test("rounds up to onnxruntime-web's buckets, and to 16 bytes above the largest", () => {
    expect(jsepBufferBytes(4)).toBe(64);
    expect(jsepBufferBytes(1024 * 576 * 4)).toBe(4 * MiB); // a [1024, 576] float32 tensor: 2.25 MiB
    expect(jsepBufferBytes(9.4e6)).toBe(12 * MiB);
    expect(jsepBufferBytes(160 * MiB)).toBe(160 * MiB);
    expect(jsepBufferBytes(160 * MiB + 1)).toBe(160 * MiB + 16);
  });

  test('largestJsepBufferWithin', () => {
    expect(largestJsepBufferWithin(128 * MiB)).toBe(128 * MiB);
    expect(largestJsepBufferWithin(128 * MiB - 1)).toBe(64 * MiB);
    expect(largestJsepBufferWithin(300 * MiB + 5)).toBe(300 * MiB);
  });
});

describe('JsepBuffers', () => {
  test('a released buffer is reused only after a flush', () => {
    const gpu = new JsepBuffers();
    gpu.release(gpu.create(1000));
    gpu.create(1000);
    expect(gpu.liveBytes).toBe(2 * 2048);
    gpu.flush();
    gpu.create(2000); // the same bucket
    expect(gpu.liveBytes).toBe(2 * 2048);
    expect(gpu.peakBytes).toBe(2 * 2048);
  });

  test('every DISPATCHES_PER_FLUSH dispatches flush', () => {
    const gpu = new JsepBuffers();
    gpu.release(gpu.create(100));
    for (let i = 0; i < DISPATCHES_PER_FLUSH - 1; i++) gpu.dispatch();
    gpu.create(100);
    expect(gpu.liveBytes).toBe(256);
    gpu.dispatch();
    gpu.create(100);
    expect(gpu.liveBytes).toBe(256);
  });

  test("a window of dispatches other than JSEP's flushes at its own count", () => {
    const gpu = new JsepBuffers(3);
    gpu.release(gpu.create(100));
    gpu.dispatch();
    gpu.dispatch();
    gpu.create(100);
    expect(gpu.liveBytes).toBe(256);
    gpu.dispatch();
    gpu.create(100);
    expect(gpu.liveBytes).toBe(256);
  });

  test("buffers without a bucket are destroyed when released, as are those beyond a bucket's cap", () => {
    const gpu = new JsepBuffers();
    gpu.release(gpu.create(200 * MiB));
    gpu.flush();
    expect(gpu.liveBytes).toBe(0);
    expect(gpu.largestBytes).toBe(200 * MiB);
    // The 42,187.5 KiB bucket keeps 2 free buffers.
    const sizes = [1, 2, 3].map(() => gpu.create(44236800));
    for (const s of sizes) gpu.release(s);
    gpu.flush();
    expect(gpu.liveBytes).toBe(2 * 44236800);
  });
});
