import type { Engine } from '../engine.ts';
import type { EngineErrorData } from '../errors.ts';

/**
 * The one message union between `WorkerEngine` (client.ts, the page) and `serveEngine` (serve.ts, the worker), in the
 * way of onnxruntime-web's proxy-messages.ts. Every type here is derived from the `Engine` interface, so a method
 * added to or changed in engine.ts changes the protocol with it (and fails to compile where it is not handled).
 *
 *   page -> worker   request {id, method, args}      one per Engine call; ids are unique per client
 *                    cancel {id}                      the call's signal aborted
 *                    debug-lose-device {id, atStep}   TEST ONLY (e2e builds): destroy the worker's GPU device
 *   worker -> page   progress {id, progress}          load and train progress, posted before the call's reply
 *                    reply {id, ok, result | error}   exactly one per request, in any order
 *
 * Arguments are the method's parameters without the `signal` and `onProgress` of its options (neither can be
 * cloned; they travel as cancel and progress messages). Arguments are cloned: Blobs of 'files' sources by
 * reference (cheap), bytes (an adapter to load) copied, because the caller keeps what it passed. Results are
 * the engine's to give away: their whole-buffer bytes (PeftAdapter.weights) are transferred (transfer.ts).
 */

export type EngineMethod = keyof Engine;

type ParametersOf<M extends EngineMethod> = Parameters<Engine[M]>;

/** An options object as it crosses: without the callbacks and signal that the protocol carries itself. */
type WireValue<T> = T extends undefined ? T : 'signal' extends keyof T ? Omit<T, 'signal' | 'onProgress'> : 'onProgress' extends keyof T ? Omit<T, 'onProgress'> : T;

/** The arguments of a request for method M (a tuple, optional elements kept). */
export type WireArgs<M extends EngineMethod> = { [K in keyof ParametersOf<M>]: WireValue<ParametersOf<M>[K]> };

export type ResultOf<M extends EngineMethod> = Awaited<ReturnType<Engine[M]>>;

/** What M's `onProgress` receives; never for a method without one. */
type ProgressOfValue<T> = T extends undefined ? never : 'onProgress' extends keyof T ? (NonNullable<T['onProgress' & keyof T]> extends (progress: infer P) => void ? P : never) : never;
export type ProgressOf<M extends EngineMethod> = ProgressOfValue<ParametersOf<M>[number]>;

export type EngineRequest<M extends EngineMethod = EngineMethod> = {
  [K in M]: { readonly type: 'request'; readonly id: number; readonly method: K; readonly args: WireArgs<K> };
}[M];

export interface EngineCancel {
  readonly type: 'cancel';
  readonly id: number;
}

/**
 * TEST ONLY: asks the worker to destroy its GPU device (now, or right after train step `atStep` is reported), as a lost
 * device would go, and is answered by a reply under its id. Only an e2e build's worker does it (debug-device-loss.ts);
 * any other worker answers 'usage'. Not an Engine method: a WorkerEngine sends it (`debugLoseDevice`), nothing else.
 */
export interface EngineDebugLoseDevice {
  readonly type: 'debug-lose-device';
  readonly id: number;
  readonly atStep: number | null;
}

/** Progress of any method that reports it (LoadProgress | TrainProgress | GenerateProgress); the id says whose. */
export type EngineProgress = ProgressOf<EngineMethod>;

export interface EngineProgressMessage {
  readonly type: 'progress';
  readonly id: number;
  readonly progress: EngineProgress;
}

export type EngineReply =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly result: ResultOf<EngineMethod> }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: EngineErrorData };

/** Page to worker. */
export type ToEngineMessage = EngineRequest | EngineCancel | EngineDebugLoseDevice;
/** Worker to page. */
export type FromEngineMessage = EngineProgressMessage | EngineReply;

/**
 * The least of a message channel's end that both sides need; a `Worker` (page side), a `DedicatedWorkerGlobalScope`
 * (`self` in the worker) and a `MessagePort` (either side; Node's too) all satisfy it.
 */
export interface EnginePort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** A MessagePort delivers nothing to `addEventListener` listeners until started; Workers have no `start`. */
  start?(): void;
}

function isObjectWith<K extends string>(data: unknown, key: K): data is Record<K, unknown> {
  return typeof data === 'object' && data !== null && key in data;
}

/**
 * Whether a received message is the protocol's (its type and id); anything else on the port is not ours and is
 * ignored. The rest of the shape is trusted: both ends are this module's code.
 */
export function isToEngineMessage(data: unknown): data is ToEngineMessage {
  return (
    isObjectWith(data, 'type') && (data.type === 'request' || data.type === 'cancel' || data.type === 'debug-lose-device') && isObjectWith(data, 'id') && typeof data.id === 'number'
  );
}

export function isFromEngineMessage(data: unknown): data is FromEngineMessage {
  return isObjectWith(data, 'type') && (data.type === 'reply' || data.type === 'progress') && isObjectWith(data, 'id') && typeof data.id === 'number';
}
