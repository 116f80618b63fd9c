import type { DeviceWatch } from './device-watch.ts';
import type { OrtModule, OrtSession, OrtSessionOptions, OrtTensor } from './ort.ts';

/** What every backend provides (backend.ts makes them), and the session options they share. */

export type ExecutionProvider = 'webgpu' | 'wasm' | 'node';
export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ['webgpu', 'wasm', 'node'];

export type HostData = Float32Array | Float64Array | BigInt64Array;

export interface HostTensor {
  readonly dtype: 'float32' | 'float64' | 'int64';
  readonly shape: readonly number[];
  readonly data: HostData;
}

export interface SessionSettings {
  /** 'all' by default for float32; float64 graphs need 'basic' (DESIGN.md: FusedMatMul has a float32 alpha). */
  readonly optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Outputs to keep on the device (WebGPU: GPU buffers); the rest come back to the CPU. */
  readonly residentOutputs?: readonly string[];
  /** ORT's verbose session log (node placement, "VerifyEachNodeIsAssignedToAnEp"): stderr in Node, the console in a browser. */
  readonly verbose?: boolean;
  /**
   * WebGPU only: onnxruntime-web's graph capture. The first run records its kernels and later runs replay them,
   * without the per-kernel work on the CPU. Every input and every fetched output must then be a GPU tensor
   * (`Backend.gpu`), and the same ones on every run: they are bound once. All outputs stay on the GPU.
   */
  readonly graphCapture?: boolean;
}

/**
 * Fixed GPU tensors and the transfers between them, for sessions with graph capture (the WebGPU backend only).
 * Everything is queued on the device's queue in call order, so a write before a run is what the run reads.
 * The tensors are allocated by onnxruntime itself (outputs of a small session kept on the GPU), not by us: the
 * native WebGPU EP build releases its handle to a GPU buffer we made at the end of every run and makes a new one
 * at the next, which a replayed capture does not see (webgpu-backend.ts).
 */
export interface GpuIo {
  /** A GPU tensor of zeros. */
  zeros(dtype: HostTensor['dtype'], shape: readonly number[]): Promise<OrtTensor>;
  /** A GPU tensor holding `t` (float32 or int64). */
  upload(t: HostTensor): Promise<OrtTensor>;
  /** Overwrites a GPU tensor's contents with `data` (same byte length). */
  write(t: OrtTensor, data: HostData): void;
  /** Copies GPU tensors onto others of the same byte length, in one submission. */
  copy(pairs: readonly (readonly [from: OrtTensor, to: OrtTensor])[]): void;
  /** Queues a copy of the tensor's contents as they are after the work queued so far; resolves with it. */
  snapshot(t: OrtTensor): Promise<Float32Array | BigInt64Array>;
}

export interface Backend {
  readonly ep: ExecutionProvider;
  readonly ort: OrtModule;
  createSession(model: Uint8Array, settings?: SessionSettings): Promise<OrtSession>;
  /** A tensor for a value read by many runs (weights, initial state): a GPU buffer on WebGPU, else a CPU tensor. */
  resident(t: HostTensor): OrtTensor;
  /** A CPU tensor (batches, lr, step). */
  host(t: HostTensor): OrtTensor;
  /** Fixed GPU tensors for graph capture; null on the CPU backends. */
  readonly gpu: GpuIo | null;
  /**
   * The watch on the device that sessions created now run on (a no-op watch for CPU backends). Holders of
   * device-resident state keep the watch current when they made their session: onnxruntime-web's native
   * WebGPU EP destroys its device when the last session is released and makes a new one for the next.
   */
  watch(): DeviceWatch;
  /** Releases what the backend itself holds (on WebGPU, the session that keeps the device alive). */
  dispose(): Promise<void>;
}

export class BackendError extends Error {
  override readonly name = 'BackendError';
}

export interface BackendOptions {
  /** WASM threads (onnxruntime-web); default ORT's choice. Tests use 1. */
  readonly wasmThreads?: number;
  /** CPU threads of onnxruntime-node's CPU EP. */
  readonly intraOpThreads?: number;
}

/** A CPU tensor of `t`. */
export function hostTensor(ort: OrtModule, t: HostTensor): OrtTensor {
  return new ort.Tensor(t.dtype, t.data, [...t.shape]);
}

/** The session options every backend starts from (exported for the test that checks what onnxruntime does with them). */
export function baseOptions(ep: ExecutionProvider, s: SessionSettings, options: BackendOptions): OrtSessionOptions {
  if (s.graphCapture && ep !== 'webgpu') throw new BackendError(`graph capture needs the WebGPU backend, not ${ep}`);
  return {
    executionProviders: [ep === 'node' ? 'cpu' : ep],
    graphOptimizationLevel: s.optimization ?? 'all',
    // Our linear layers are MatMuls on purpose (graph/ops/matmul.ts); onnxruntime would fuse each one that feeds
    // an Add (a bias, a LoRA branch, a gradient sum) back into a Gemm, whose WebGPU kernel is several times slower.
    extra: { optimization: { disable_specified_optimizers: 'MatMulAddFusion' } },
    ...(s.verbose ? { logSeverityLevel: 0 as const, logVerbosityLevel: 0 } : {}),
    ...(ep === 'node' && options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
  };
}
