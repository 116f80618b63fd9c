// The runtime's CPU backends for the ORT tests: onnxruntime-node (CPU EP) and onnxruntime-web's WASM EP
// in Node, one thread each (deterministic, nothing left running between vitest forks).
import { createBackend, type Backend, type ExecutionProvider } from '../../src/runtime/backend.ts';
import { onnxruntimeNode } from '../../src/runtime/node/ort-node.ts';
import { onnxruntimeWeb } from '../../src/runtime/ort.ts';

export const cpuBackends: readonly Exclude<ExecutionProvider, 'webgpu'>[] = ['node', 'wasm'];

export function cpuBackend(ep: Exclude<ExecutionProvider, 'webgpu'>): Backend {
  return ep === 'node' ? createBackend(onnxruntimeNode, 'node', { intraOpThreads: 1 }) : createBackend(onnxruntimeWeb, 'wasm', { wasmThreads: 1 });
}
