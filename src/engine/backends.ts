import type { Backend, ExecutionProvider } from '../runtime/backend.ts';
import type { DeviceLimits } from './engine.ts';

/** A backend and what to do once it is disposed (Node's WebGPU releases its dawn instance). */
export interface BackendHandle {
  readonly backend: Backend;
  release(): void;
}

/**
 * Where the engine gets its execution backends: the browser (browser-backends.ts: onnxruntime-web's WebGPU and WASM
 * EPs) or Node (cli/engine-node.ts adds onnxruntime-node and WebGPU through dawn.node). Injected so that engine/
 * never imports onnxruntime-node, which must not reach the browser bundle.
 */
export interface BackendProvider {
  readonly eps: readonly ExecutionProvider[];
  open(ep: ExecutionProvider, options: { wasmThreads?: number }): Promise<BackendHandle>;
  /** The GPU's buffer limits for 'webgpu' (the adapter's, which onnxruntime requests for its device); null otherwise. */
  limits(ep: ExecutionProvider): Promise<DeviceLimits | null>;
}
