// Which train steps run captured on WebGPU (training-run.ts capturesGraph): never a full-weight one, whose train step
// onnxruntime-web's WebGPU EP does not take whole (graph capture then refuses the session).
import { expect, test } from 'vitest';
import { capturesGraph } from '../../../src/engine/training-run.ts';

test('graph capture: WebGPU by default, off when asked, off with all weights, never on a CPU EP', () => {
  expect(capturesGraph({ ep: 'webgpu' })).toBe(true);
  expect(capturesGraph({ ep: 'webgpu', graphCapture: false })).toBe(false);
  expect(capturesGraph({ ep: 'webgpu', allWeights: true })).toBe(false);
  expect(capturesGraph({ ep: 'webgpu', allWeights: true, graphCapture: true })).toBe(false);
  expect(capturesGraph({ ep: 'wasm' })).toBe(false);
});
