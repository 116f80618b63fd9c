import { createBackend } from '../runtime/backend.ts';
import { onnxruntimeWeb } from '../runtime/ort.ts';
import type { BackendProvider } from './backends.ts';
import { EngineError } from './errors.ts';

/** onnxruntime-web in a page or a worker: WebGPU where `navigator.gpu` gives an adapter, WASM everywhere. */
export const browserBackends: BackendProvider = {
  eps: ['webgpu', 'wasm'],
  open(ep, options) {
    if (ep === 'node') return Promise.reject(new EngineError('usage', 'onnxruntime-node runs in Node only (the CLI); in a browser use webgpu or wasm'));
    const backend = createBackend(onnxruntimeWeb, ep, options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads });
    return Promise.resolve({ backend, release: () => {} });
  },
  async limits(ep) {
    if (ep !== 'webgpu' || typeof navigator === 'undefined' || !('gpu' in navigator)) return null;
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return null;
    return { maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize };
  },
};
