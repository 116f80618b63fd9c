// The WebGPU backend's allocator model (one Expand with a dynamic length): a valid ONNX model that yields `length`
// zeros for any length, here on onnxruntime-node's CPU EP. On the GPU it runs in webgpu-backend.ts, and
// e2e/engine.spec.ts trains with graph capture through the tensors it makes.
import * as ort from 'onnxruntime-node';
import { expect, test } from 'vitest';
import { allocatorModel } from '../../../src/runtime/allocator-model.ts';

test('the allocator model expands a zero to any length', async () => {
  const session = await ort.InferenceSession.create(allocatorModel());
  try {
    for (const n of [4, 1000, 16]) {
      const out = await session.run({ value: new ort.Tensor('float32', Float32Array.of(0), [1]), length: new ort.Tensor('int64', BigInt64Array.of(BigInt(n)), [1]) });
      expect(out['y']!.dims).toEqual([n]);
      expect(out['y']!.type).toBe('float32');
      expect((out['y']!.data as Float32Array).every((v) => v === 0)).toBe(true);
    }
  } finally {
    await session.release();
  }
});
