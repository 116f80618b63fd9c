// The studio's engine worker: the in-thread engine with onnxruntime-web's backends and the Cache Storage model
// cache, served over the worker protocol (serve.ts). Created by create-worker-engine.ts; nothing imports it.
import { browserBackends } from '../browser-backends.ts';
import { InThreadEngine } from '../in-thread.ts';
import { defaultModelFileCache } from '../sources/cache-storage.ts';
import type { EnginePort } from './protocol.ts';
import { serveEngine } from './serve.ts';

const engine = new InThreadEngine({ backends: browserBackends, cache: defaultModelFileCache() });
// A DedicatedWorkerGlobalScope posts and receives messages as a port does (the app's tsconfig has no WebWorker lib).
serveEngine(engine, self as unknown as EnginePort);
