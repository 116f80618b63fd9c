import type { TokenSequence } from '../models/batch.ts';
import type { LoraSpec } from '../models/lora.ts';
import type { Backend, ExecutionProvider } from '../runtime/backend.ts';
import type { OrtTensor } from '../runtime/ort.ts';
import type { BackendProvider } from './backends.ts';
import type { ExampleScore, GenerateProgress, GenerateRequest, GenerateResult } from './engine.ts';
import { EngineError } from './errors.ts';
import type { LoadedModel } from './load-model.ts';

/** LoRA weights to run with, by PEFT name, and the spec they follow. */
export interface InferenceLora {
  readonly spec: LoraSpec;
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

/** A prepared training's backend and the frozen weights it keeps on the device, which inference reads as they are. */
export interface SharedTraining {
  readonly backend: Backend;
  readonly weights: ReadonlyMap<string, OrtTensor>;
}

/** Scoring and generation sessions on one backend for one loaded model (WIP: the lead is writing it). */
export class InferenceRun {
  private constructor(
    private readonly model: LoadedModel,
    readonly ep: ExecutionProvider,
    private readonly wasmThreads: number | undefined,
  ) {}

  static open(model: LoadedModel, _backends: BackendProvider, options: { ep: ExecutionProvider; wasmThreads?: number }, _shared: SharedTraining | null): Promise<InferenceRun> {
    return Promise.resolve(new InferenceRun(model, options.ep, options.wasmThreads));
  }

  serves(model: LoadedModel, ep: ExecutionProvider, wasmThreads: number | undefined): boolean {
    return model === this.model && ep === this.ep && (wasmThreads === undefined || wasmThreads === this.wasmThreads);
  }

  setAdapter(_lora: InferenceLora | null): void {}

  score(_sequences: readonly TokenSequence[], _options: { batchSize: number; signal?: AbortSignal }): Promise<ExampleScore[]> {
    return Promise.reject(new EngineError('internal', 'scoring is not built yet'));
  }

  generate(_prompt: readonly number[], _request: GenerateRequest, _options: { signal?: AbortSignal; onProgress?: (p: GenerateProgress) => void }): Promise<GenerateResult> {
    return Promise.reject(new EngineError('internal', 'generation is not built yet'));
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
