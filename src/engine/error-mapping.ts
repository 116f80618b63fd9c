import { GraphError } from '../graph/shape.ts';
import { WeightsError } from '../models/base-weights.ts';
import { BatchError } from '../models/batch.ts';
import { ConfigError } from '../models/config-error.ts';
import { SafetensorsError } from '../models/safetensors.ts';
import { DeviceLostError } from '../runtime/device-watch.ts';
import { EngineError, type EngineErrorKind } from './errors.ts';

/**
 * Any error thrown below the engine as an EngineError of the right kind, keeping its message (which already names
 * the file, field or tensor at fault). What is not recognised is 'internal'.
 */
export function asEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const kind: EngineErrorKind =
    error instanceof ConfigError || error instanceof GraphError
      ? 'config'
      : error instanceof WeightsError || error instanceof SafetensorsError
        ? 'weights'
        : error instanceof BatchError
          ? 'usage'
          : error instanceof DeviceLostError
            ? 'device-lost'
            : error instanceof Error && error.name === 'AbortError'
              ? 'cancelled'
              : isOutOfMemory(message)
                ? 'out-of-memory'
                : 'internal';
  return new EngineError(kind, message);
}

/** onnxruntime-web and WebGPU say "out of memory" in a few ways (failed buffer allocation, wasm heap growth). */
function isOutOfMemory(message: string): boolean {
  return /out of memory|OOM|failed to allocate|Cannot allocate|RangeError: Array buffer allocation failed/i.test(message);
}
