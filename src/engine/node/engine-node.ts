import { availableParallelism } from 'node:os';
import type { BackendProvider } from '../backends.ts';
import { EngineError } from '../errors.ts';
import { InThreadEngine } from '../in-thread.ts';
import { createBackend } from '../../runtime/backend.ts';
import type { OrtModule } from '../../runtime/ort.ts';
import { nodeWebGpu, type WebGpuBuild } from './webgpu-node.ts';

export interface NodeBackendOptions {
  /** Threads of the CPU EPs (onnxruntime-node's intra-op pool, WASM's threads); default all cores. */
  readonly threads?: number;
  /** Which onnxruntime-web build runs WebGPU in Node (webgpu-node.ts). */
  readonly webgpuBuild?: WebGpuBuild;
  /** Called with the onnxruntime module of each backend opened (bench/ sets WebGPU profiling on it). */
  readonly onOrt?: (ort: OrtModule) => void;
}

/**
 * The engine's backends in Node: onnxruntime-node's CPU EP, onnxruntime-web's WASM EP, and its WebGPU EP through
 * dawn.node (webgpu-node.ts; on SwiftShader without a GPU). Modules are imported on demand: a bundle of the CLI
 * for a GPU machine (bench/engine/gpu) carries only the WebGPU path.
 */
export function nodeBackends(options: NodeBackendOptions = {}): BackendProvider {
  const threads = options.threads ?? availableParallelism();
  let limits: { maxBufferSize: number; maxStorageBufferBindingSize: number } | null = null;
  return {
    eps: ['node', 'wasm', 'webgpu'],
    async open(ep, open) {
      if (ep === 'webgpu') {
        const node = await nodeWebGpu(options.webgpuBuild ?? 'all');
        options.onOrt?.(node.ort);
        return { backend: createBackend(node.ort, 'webgpu'), release: node.release };
      }
      if (ep === 'wasm') {
        const { onnxruntimeWeb } = await import('../../runtime/ort.ts');
        options.onOrt?.(onnxruntimeWeb);
        return { backend: createBackend(onnxruntimeWeb, 'wasm', { wasmThreads: open.wasmThreads ?? threads }), release: () => {} };
      }
      const { onnxruntimeNode } = await import('../../runtime/node/ort-node.ts');
      options.onOrt?.(onnxruntimeNode);
      return { backend: createBackend(onnxruntimeNode, 'node', { intraOpThreads: threads }), release: () => {} };
    },
    async limits(ep) {
      if (ep !== 'webgpu') return null;
      if (limits) return limits;
      const { gpu } = await import('./webgpu-shim.mjs');
      const adapter = await gpu.requestAdapter();
      if (!adapter) throw new EngineError('usage', 'WebGPU in Node: no adapter (without a GPU set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)');
      limits = { maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize };
      return limits;
    },
  };
}

/** The in-thread engine as the CLI, bench and Node tests use it: Node's backends, no model cache. */
export function nodeEngine(options: NodeBackendOptions = {}): InThreadEngine {
  return new InThreadEngine({ backends: nodeBackends(options), cache: null });
}
