import { Graph } from '../graph/ir.ts';
import { emitOnnx } from '../graph/onnx/emit.ts';
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
}

export interface Backend {
  readonly ep: ExecutionProvider;
  readonly ort: OrtModule;
  createSession(model: Uint8Array, settings?: SessionSettings): Promise<OrtSession>;
  /** A tensor for a value read by many runs (weights, initial state): a GPU buffer on WebGPU, else a CPU tensor. */
  resident(t: HostTensor): OrtTensor;
  /** A CPU tensor (batches, lr, step). */
  host(t: HostTensor): OrtTensor;
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

function baseOptions(ep: ExecutionProvider, s: SessionSettings, options: BackendOptions): OrtSessionOptions {
  return {
    executionProviders: [ep === 'node' ? 'cpu' : ep],
    graphOptimizationLevel: s.optimization ?? 'all',
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
  return {
    ep,
    ort,
    createSession: async (model, s = {}) => {
      const resident = s.residentOutputs ?? [];
      const preferred = Object.fromEntries(resident.map((name) => [name, location]));
      let session: OrtSession;
      try {
        session = await watch.guard(ort.InferenceSession.create(model, { ...baseOptions(ep, s, options), preferredOutputLocation: preferred }));
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
      const device = gpu();
      const deviceWatch = watch;
      if (t.dtype === 'float64') throw new BackendError('WebGPU has no float64; build float32 artifacts for the WebGPU backend');
      const bytes = t.data.byteLength;
      const buffer = device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(buffer, 0, t.data.buffer, t.data.byteOffset, bytes);
      return ort.Tensor.fromGpuBuffer(buffer, {
        dataType: t.dtype,
        dims: [...t.shape],
        download: async () => {
          const staging = device.createBuffer({ size: buffer.size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
          const encoder = device.createCommandEncoder();
          encoder.copyBufferToBuffer(buffer, 0, staging, 0, buffer.size);
          device.queue.submit([encoder.finish()]);
          await deviceWatch.guard(staging.mapAsync(GPUMapMode.READ));
          const copy = staging.getMappedRange().slice(0, bytes);
          staging.destroy();
          return t.dtype === 'int64' ? new BigInt64Array(copy) : new Float32Array(copy);
        },
        // Runs already submitted keep the buffer alive until they finish (WebGPU defers the free).
        dispose: () => buffer.destroy(),
      });
    },
    host: (t) => hostTensor(ort, t),
    watch: () => watch,
    dispose: async () => {
      const k = keeper;
      keeper = null;
      if (k) await k.then((session) => session.release()).catch(() => undefined);
    },
  };
}

/** The smallest model: y = x, one float. */
function keeperModel(): Uint8Array {
  const g = new Graph('device_keeper');
  g.output('y', g.input('x', 'float32', [1]));
  return emitOnnx(g);
}
