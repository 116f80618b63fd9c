import { Graph } from '../graph/ir.ts';
import { emitOnnx } from '../graph/onnx/emit.ts';
import { sizeOf } from '../graph/shape.ts';
import { DeviceWatch } from './device-watch.ts';
import type { OrtDataLocation, OrtModule, OrtSession, OrtSessionOptions, OrtTensor } from './ort.ts';

/**
 * An execution backend: one onnxruntime module and one execution provider, with the few things the train loop
 * needs that differ between them: where outputs kept between runs live, how a long-lived tensor is made
 * resident (a GPU buffer, uploaded once, on WebGPU), and a watch on the GPU device.
 *   webgpu  onnxruntime-web, WebGPU EP: state and weights stay in GPU buffers
 *   wasm    onnxruntime-web, WASM EP (browsers without WebGPU, Node tests)
 *   node    onnxruntime-node, CPU EP (CLI and tests; runtime/node/ provides the module)
 */
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
 */
export interface GpuIo {
  /** A GPU tensor of zeros. */
  zeros(dtype: HostTensor['dtype'], shape: readonly number[]): OrtTensor;
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

function hostTensor(ort: OrtModule, t: HostTensor): OrtTensor {
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

/** A backend over `ort`; for 'webgpu' it fails clearly where there is no WebGPU. */
export function createBackend(ort: OrtModule, ep: ExecutionProvider, options: BackendOptions = {}): Backend {
  if (ep === 'wasm' && options.wasmThreads !== undefined) ort.env.wasm.numThreads = options.wasmThreads;
  if (ep !== 'webgpu') {
    const none = new DeviceWatch(null);
    return {
      ep,
      ort,
      createSession: (model, s = {}) => ort.InferenceSession.create(model, baseOptions(ep, s, options)),
      resident: (t) => hostTensor(ort, t),
      host: (t) => hostTensor(ort, t),
      gpu: null,
      watch: () => none,
      dispose: () => Promise.resolve(),
    };
  }
  if (typeof navigator === 'undefined' || !('gpu' in navigator)) {
    throw new BackendError('WebGPU is not available here (navigator.gpu is missing); use the WASM backend');
  }
  // onnxruntime-web creates its GPU device when the first WebGPU session is created (JSEP ignores a device set
  // beforehand), so the device, and the watch on its loss, exist from then on.
  let device: GPUDevice | null = null;
  let keeper: Promise<OrtSession> | null = null;
  let watch = new DeviceWatch(null);
  const location: OrtDataLocation = 'gpu-buffer';
  const gpu = (): GPUDevice => {
    if (device === null) throw new BackendError('WebGPU: create a session before uploading tensors (onnxruntime-web makes its device then)');
    watch.check();
    return device;
  };
  /** Submits a copy of `buffer` to a staging buffer now; resolves with its first `bytes` bytes once mapped. */
  const readBack = (buffer: GPUBuffer, bytes: number, dtype: HostTensor['dtype']): Promise<Float32Array | BigInt64Array> => {
    const device = gpu();
    const deviceWatch = watch;
    const staging = device.createBuffer({ size: padded(bytes), usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, padded(bytes));
    device.queue.submit([encoder.finish()]);
    return deviceWatch.guard(staging.mapAsync(GPUMapMode.READ)).then(() => {
      const copy = staging.getMappedRange().slice(0, bytes);
      staging.destroy();
      return dtype === 'int64' ? new BigInt64Array(copy) : new Float32Array(copy);
    });
  };
  const gpuTensor = (dtype: HostTensor['dtype'], shape: readonly number[]): OrtTensor => {
    if (dtype === 'float64') throw new BackendError('WebGPU has no float64; build float32 artifacts for the WebGPU backend');
    const bytes = sizeOf(shape) * (dtype === 'int64' ? 8 : 4);
    const buffer = gpu().createBuffer({ size: padded(bytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    return ort.Tensor.fromGpuBuffer(buffer, {
      dataType: dtype,
      dims: [...shape],
      download: () => readBack(buffer, bytes, dtype),
      // Runs already submitted keep the buffer alive until they finish (WebGPU defers the free).
      dispose: () => buffer.destroy(),
    });
  };
  return {
    ep,
    ort,
    createSession: async (model, s = {}) => {
      const resident = s.residentOutputs ?? [];
      // Graph capture keeps every output on the GPU (onnxruntime-web refuses any other location with it).
      const preferred = s.graphCapture ? location : Object.fromEntries(resident.map((name) => [name, location]));
      let session: OrtSession;
      try {
        session = await watch.guard(
          ort.InferenceSession.create(model, { ...baseOptions(ep, s, options), preferredOutputLocation: preferred, ...(s.graphCapture ? { enableGraphCapture: true } : {}) }),
        );
      } catch (error) {
        if (device === null) throw new BackendError(`WebGPU: could not start (${error instanceof Error ? error.message : String(error)})`);
        throw error;
      }
      const current = await ort.env.webgpu.device;
      if (current !== device) {
        device = current;
        watch = new DeviceWatch(device);
        // onnxruntime-web's native WebGPU EP (ort.webgpu) destroys its device when its last session is
        // released, yet hands the same (dead) device to the next session; a session held for the backend's
        // lifetime keeps the device alive between trainers. (JSEP keeps its device regardless.)
        keeper ??= ort.InferenceSession.create(keeperModel(), { executionProviders: ['webgpu'] });
        await keeper;
      }
      return session;
    },
    resident: (t) => {
      if (t.dtype === 'float64') throw new BackendError('WebGPU has no float64; build float32 artifacts for the WebGPU backend');
      const tensor = gpuTensor(t.dtype, t.shape);
      gpu().queue.writeBuffer(tensor.gpuBuffer, 0, t.data.buffer, t.data.byteOffset, t.data.byteLength);
      return tensor;
    },
    host: (t) => hostTensor(ort, t),
    gpu: {
      zeros: (dtype, shape) => gpuTensor(dtype, shape), // WebGPU zero-fills new buffers
      write: (t, data) => {
        if (data.byteLength !== byteLength(t)) throw new BackendError(`write: ${data.byteLength} bytes into a tensor of ${byteLength(t)}`);
        gpu().queue.writeBuffer(t.gpuBuffer, 0, data.buffer, data.byteOffset, data.byteLength);
      },
      copy: (pairs) => {
        const encoder = gpu().createCommandEncoder();
        for (const [from, to] of pairs) {
          if (byteLength(from) !== byteLength(to)) throw new BackendError(`copy: ${byteLength(from)} bytes onto a tensor of ${byteLength(to)}`);
          encoder.copyBufferToBuffer(from.gpuBuffer, 0, to.gpuBuffer, 0, padded(byteLength(from)));
        }
        gpu().queue.submit([encoder.finish()]);
      },
      snapshot: (t) => readBack(t.gpuBuffer, byteLength(t), t.type as HostTensor['dtype']),
    },
    watch: () => watch,
    dispose: async () => {
      const k = keeper;
      keeper = null;
      if (k) await k.then((session) => session.release()).catch(() => undefined);
    },
  };
}

/**
 * GPU buffer sizes (and so copies) rounded up to 16 bytes: WebGPU wants multiples of 4, and onnxruntime-web's
 * kernels bind storage as vec4 (a 16-byte minimum binding size, so a 4-byte scalar buffer fails validation).
 */
const padded = (bytes: number): number => Math.ceil(bytes / 16) * 16;

function byteLength(t: OrtTensor): number {
  return sizeOf(t.dims) * (t.type === 'int64' ? 8 : 4);
}

/** The smallest model: y = x, one float. */
function keeperModel(): Uint8Array {
  const g = new Graph('device_keeper');
  g.output('y', g.input('x', 'float32', [1]));
  return emitOnnx(g);
}
