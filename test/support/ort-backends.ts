// Execution backends for the graph tests: the same emitted model bytes run on onnxruntime-node (CPU
// EP) and on onnxruntime-web's WASM EP in Node. Both at graph optimization level 'basic': at
// 'extended' ORT fuses Transpose/Mul+MatMul into com.microsoft FusedMatMul with a float32 alpha,
// which would spoil float64 gradient checks (DESIGN.md).
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import type { DType, TensorData } from '../../src/graph/dtype.ts';

export interface HostTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

export interface LoadedModel {
  run(feeds: Readonly<Record<string, HostTensor>>, outputs?: readonly string[]): Promise<Record<string, HostTensor>>;
  release(): Promise<void>;
}

export interface Backend {
  readonly name: 'onnxruntime-node' | 'onnxruntime-web-wasm';
  load(model: Uint8Array): Promise<LoadedModel>;
}

type OrtModule = typeof ortNode | typeof ortWeb;

const ortType: Record<DType, 'float32' | 'float64' | 'int64' | 'bool'> = { float32: 'float32', float64: 'float64', int64: 'int64', bool: 'bool' };

function fromOrt(t: ortNode.Tensor  ): HostTensor {
  const dtype = t.type === 'float32' || t.type === 'float64' || t.type === 'int64' || t.type === 'bool' ? t.type : undefined;
  if (dtype === undefined) throw new Error(`unexpected output type ${t.type}`);
  return { dtype, shape: [...t.dims], data: t.data as TensorData };
}

function backend(name: Backend['name'], ort: OrtModule, sessionOptions: Record<string, unknown>): Backend {
  return {
    name,
    async load(model) {
      const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'basic', ...sessionOptions });
      return {
        async run(feeds, outputs) {
          const ortFeeds: Record<string, ortNode.Tensor> = {};
          for (const [k, v] of Object.entries(feeds)) {
            ortFeeds[k] = new ort.Tensor(ortType[v.dtype], v.data as never, [...v.shape]);
          }
          const result = outputs ? await session.run(ortFeeds, [...outputs]) : await session.run(ortFeeds);
          const out: Record<string, HostTensor> = {};
          for (const [k, v] of Object.entries(result)) out[k] = fromOrt(v);
          return out;
        },
        release: () => session.release(),
      };
    },
  };
}

let webConfigured = false;
function webBackend(): Backend {
  if (!webConfigured) {
    // One thread: deterministic, and no worker threads to leak between vitest forks.
    ortWeb.env.wasm.numThreads = 1;
    webConfigured = true;
  }
  return backend('onnxruntime-web-wasm', ortWeb, { executionProviders: ['wasm'] });
}

export const nodeBackend: Backend = backend('onnxruntime-node', ortNode, { executionProviders: ['cpu'], intraOpNumThreads: 1 });

export function backends(): Backend[] {
  return [nodeBackend, webBackend()];
}
