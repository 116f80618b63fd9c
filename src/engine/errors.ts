/**
 * The engine's errors: one class with a kind, so that they cross the worker boundary as data (`toEngineErrorData`)
 * and are rebuilt as the same error on the other side (`fromEngineErrorData`).
 *   config         config.json names an unsupported architecture or field, or training settings are invalid
 *   weights        a checkpoint is truncated, malformed, or lacks a tensor the config needs
 *   tokenizer      tokenizer.json / tokenizer_config.json missing or unreadable, a chat template that fails
 *   network        the Hub or a URL: 401/403 (gated or private), 404 (which file), 5xx, dropped or stalled
 *   out-of-memory  the setup does not fit the device's limits or the user's budget, or the device ran out
 *   device-lost    the GPU device was lost; load again on a new one
 *   cancelled      the caller's signal aborted the call
 *   diverged       a training loss was NaN or infinite (the learning rate is too high, or the data or weights overflow)
 *   usage          a call in the wrong state (no model loaded, no training prepared) or with bad arguments
 *   internal       anything else (a bug): the message says what failed
 */
export const ENGINE_ERROR_KINDS = ['config', 'weights', 'tokenizer', 'network', 'out-of-memory', 'device-lost', 'cancelled', 'diverged', 'usage', 'internal'] as const;
export type EngineErrorKind = (typeof ENGINE_ERROR_KINDS)[number];

export interface EngineErrorDetail {
  /** The file concerned ("model-00002-of-00002.safetensors"), where one is. */
  readonly file?: string;
  /** The HTTP status of a network error. */
  readonly status?: number;
  /** A network error's URL, without credentials. */
  readonly url?: string;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    readonly detail: EngineErrorDetail = {},
  ) {
    super(message);
  }
}

export interface EngineErrorData {
  readonly kind: EngineErrorKind;
  readonly message: string;
  readonly detail: EngineErrorDetail;
}

export function toEngineErrorData(error: EngineError): EngineErrorData {
  return { kind: error.kind, message: error.message, detail: { ...error.detail } };
}

export function fromEngineErrorData(data: EngineErrorData): EngineError {
  return new EngineError(data.kind, data.message, data.detail);
}

/** An AbortSignal's abort as the engine's error. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('cancelled', 'cancelled');
}
