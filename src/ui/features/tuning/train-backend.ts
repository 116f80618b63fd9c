import type { ExecutionProvider } from '../../../engine/engine.ts';

/**
 * Where the studio trains: WebGPU where the browser gives an adapter, else WASM on the CPU, with threads when the
 * page is cross-origin isolated (SharedArrayBuffer; `npm start` and `vite preview` send the headers, vite.config.ts),
 * else one. The run's progress line and the Run section say which, and why when it is the slow one.
 */
export interface TrainBackend {
  readonly ep: ExecutionProvider;
  /** WASM's threads (undefined on WebGPU). */
  readonly wasmThreads?: number;
  /** Why the run is on the CPU, when it is. */
  readonly note: string | null;
}

/** onnxruntime-web's own default for numThreads (min(4, ceil(cores / 2))), made explicit so the UI can state it; 1 without isolation. */
export function wasmThreadsFor(isolated: boolean, cores: number): number {
  return isolated ? Math.max(1, Math.min(4, Math.ceil(cores / 2))) : 1;
}

export function describeCpuBackend(threads: number, isolated: boolean): string {
  const why = isolated ? '' : ' (one thread: the page is not cross-origin isolated, so WASM gets no shared memory)';
  return `This browser gives no WebGPU adapter: runs train on the CPU with WASM, ${threads} thread${threads === 1 ? '' : 's'}${why}, many times slower than a GPU.`;
}

export async function chooseTrainBackend(): Promise<TrainBackend> {
  const gpu = typeof navigator !== 'undefined' && 'gpu' in navigator ? navigator.gpu : null;
  if (gpu && (await gpu.requestAdapter().catch(() => null))) return { ep: 'webgpu', note: null };
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const threads = wasmThreadsFor(isolated, typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1);
  return { ep: 'wasm', wasmThreads: threads, note: describeCpuBackend(threads, isolated) };
}
