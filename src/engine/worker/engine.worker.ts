// The studio's engine worker: the in-thread engine with onnxruntime-web's backends and the Cache Storage model
// cache, served over the worker protocol (serve.ts). Created by create-worker-engine.ts; nothing imports it.
import { destroyWebGpuDevice } from '../../runtime/lose-device.ts';
import { onnxruntimeWeb } from '../../runtime/ort.ts';
import { browserBackends } from '../browser-backends.ts';
import { InThreadEngine } from '../in-thread.ts';
import { defaultModelFileCache } from '../sources/cache-storage.ts';
import { DebugDeviceLoss } from './debug-device-loss.ts';
import type { EnginePort } from './protocol.ts';
import { serveEngine } from './serve.ts';

const engine = new InThreadEngine({ backends: browserBackends, cache: defaultModelFileCache() });
// A DedicatedWorkerGlobalScope posts and receives messages as a port does (the app's tsconfig has no WebWorker lib).
// Only the e2e build's worker can be told to lose its GPU device (tests of a lost device); __E2E__ is false in
// every other build, which then leaves the test code out.
serveEngine(engine, self as unknown as EnginePort, __E2E__ ? { debugDeviceLoss: new DebugDeviceLoss(() => destroyWebGpuDevice(onnxruntimeWeb)) } : {});
