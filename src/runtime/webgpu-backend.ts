import { sizeOf } from '../graph/shape.ts';
import { allocatorModel } from './allocator-model.ts';
import { BackendError, baseOptions, hostTensor, type Backend, type BackendOptions, type HostTensor } from './backend-contract.ts';
import { DeviceWatch } from './device-watch.ts';
import type { OrtDataLocation, OrtModule, OrtSession, OrtTensor } from './ort.ts';

/**
 * The WebGPU backend (onnxruntime-web's WebGPU EP): state and weights in GPU buffers, fixed GPU tensors for graph
 * capture, and a watch on the device. Works with both WebGPU builds of onnxruntime-web 1.30: JSEP (`ort.all`, the
 * studio's) and the native WebGPU EP (`ort.webgpu`).
 *
 * Graph capture's tensors come from onnxruntime: the outputs of a one-node session (the allocator, an Expand of a
 * zero to a given length) kept on the GPU. A GPU buffer we create ourselves does not work there with the native
 * build: its run registers each input and output buffer at the start (a new handle) and releases the handle at
 * the end, and the replayed kernels' bind groups no longer find it. An output buffer onnxruntime made carries a
 * handle that is never released while the tensor lives, so the capture sees the same buffers on every run
 * (shown on SwiftShader: the second captured run of the native build fails with our buffers and matches the
 * uncaptured losses with these). JSEP registers buffers per session and input instead, and works either way.
 * The allocator session also keeps the native build's device alive between trainers (see createSession).
 */
export function createWebGpuBackend(ort: OrtModule, options: BackendOptions): Backend {
  const ep = 'webgpu';
  if (typeof navigator === 'undefined' || !('gpu' in navigator)) {
    throw new BackendError('WebGPU is not available here (navigator.gpu is missing); use the WASM backend');
  }
  // onnxruntime-web creates its GPU device when the first WebGPU session is created (JSEP ignores a device set
  // beforehand), so the device, and the watch on its loss, exist from then on.
  let device: GPUDevice | null = null;
  /** The allocator session (see the top), made with the first session; it also keeps the device alive. */
  let allocator: Promise<OrtSession> | null = null;
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
    assertGpuDType(dtype);
    const bytes = gpuBytes(dtype, shape);
    const buffer = gpu().createBuffer({ size: padded(bytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    return ort.Tensor.fromGpuBuffer(buffer, {
      dataType: dtype,
      dims: [...shape],
      download: () => readBack(buffer, bytes, dtype),
      // Runs already submitted keep the buffer alive until they finish (WebGPU defers the free).
      dispose: () => buffer.destroy(),
    });
  };
  let allocations: Promise<unknown> = Promise.resolve();
  /** A tensor of zeros in a GPU buffer onnxruntime allocated (see the top); one allocator run at a time. */
  const allocate = (dtype: HostTensor['dtype'], shape: readonly number[]): Promise<OrtTensor> => {
    const next = allocations.then(async () => {
      assertGpuDType(dtype);
      const bytes = gpuBytes(dtype, shape);
      if (allocator === null) throw new BackendError('WebGPU: create a session before allocating tensors (onnxruntime-web makes its device then)');
      const session = await allocator;
      const out = await watch.guard(
        session.run({ value: new ort.Tensor('float32', new Float32Array(1), [1]), length: new ort.Tensor('int64', BigInt64Array.of(BigInt(padded(bytes) / 4)), [1]) }),
      );
      const y = out['y']!;
      const buffer = y.gpuBuffer;
      return ort.Tensor.fromGpuBuffer(buffer, { dataType: dtype, dims: [...shape], download: () => readBack(buffer, bytes, dtype), dispose: () => y.dispose() });
    });
    allocations = next.catch(() => undefined);
    return next;
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
        // lifetime (the allocator) keeps the device alive between trainers. (JSEP keeps its device regardless.)
        allocator ??= ort.InferenceSession.create(allocatorModel(), { executionProviders: ['webgpu'], preferredOutputLocation: 'gpu-buffer' });
        await allocator;
      }
      return session;
    },
    resident: (t) => {
      const tensor = gpuTensor(t.dtype, t.shape);
      gpu().queue.writeBuffer(tensor.gpuBuffer, 0, t.data.buffer, t.data.byteOffset, t.data.byteLength);
      return tensor;
    },
    host: (t) => hostTensor(ort, t),
    gpu: {
      zeros: (dtype, shape) => allocate(dtype, shape),
      upload: async (t) => {
        const tensor = await allocate(t.dtype, t.shape);
        gpu().queue.writeBuffer(tensor.gpuBuffer, 0, t.data.buffer, t.data.byteOffset, t.data.byteLength);
        return tensor;
      },
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
      const k = allocator;
      allocator = null;
      if (k) await k.then((session) => session.release()).catch(() => undefined);
    },
  };
}

/**
 * GPU buffer sizes (and so copies) rounded up to 16 bytes: WebGPU wants multiples of 4, and onnxruntime-web's
 * kernels bind storage as vec4 (a 16-byte minimum binding size, so a 4-byte scalar buffer fails validation).
 */
const padded = (bytes: number): number => Math.ceil(bytes / 16) * 16;

function assertGpuDType(dtype: HostTensor['dtype']): asserts dtype is 'float32' | 'int64' {
  if (dtype === 'float64') throw new BackendError('WebGPU has no float64; build float32 artifacts for the WebGPU backend');
}

/** Bytes of a GPU tensor (float32 or int64) of `shape`. */
function gpuBytes(dtype: string, shape: readonly number[]): number {
  return sizeOf(shape) * (dtype === 'int64' ? 8 : 4);
}

function byteLength(t: OrtTensor): number {
  return gpuBytes(t.type, t.dims);
}
