import { baseOptions, hostTensor, type Backend, type BackendOptions, type ExecutionProvider } from './backend-contract.ts';
import { DeviceWatch } from './device-watch.ts';
import type { OrtModule } from './ort.ts';
import { createWebGpuBackend } from './webgpu-backend.ts';

/**
 * An execution backend: one onnxruntime module and one execution provider, with the few things the train loop
 * needs that differ between them: where outputs kept between runs live, how a long-lived tensor is made
 * resident (a GPU buffer, uploaded once, on WebGPU), and a watch on the GPU device.
 *   webgpu  onnxruntime-web, WebGPU EP: state and weights stay in GPU buffers (webgpu-backend.ts)
 *   wasm    onnxruntime-web, WASM EP (browsers without WebGPU, Node tests)
 *   node    onnxruntime-node, CPU EP (CLI and tests; runtime/node/ provides the module)
 * The contract (Backend, GpuIo, the session settings) is in backend-contract.ts.
 */
export {
  BackendError,
  baseOptions,
  EXECUTION_PROVIDERS,
  type Backend,
  type BackendOptions,
  type ExecutionProvider,
  type GpuIo,
  type HostData,
  type HostTensor,
  type SessionSettings,
} from './backend-contract.ts';

/** A backend over `ort`; for 'webgpu' it fails clearly where there is no WebGPU. */
export function createBackend(ort: OrtModule, ep: ExecutionProvider, options: BackendOptions = {}): Backend {
  if (ep === 'wasm' && options.wasmThreads !== undefined) ort.env.wasm.numThreads = options.wasmThreads;
  if (ep === 'webgpu') return createWebGpuBackend(ort, options);
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
