import type { CallOptions, Engine } from '../engine.ts';
import { EngineError, fromEngineErrorData } from '../errors.ts';
import {
  isFromEngineMessage,
  type EngineDebugLoseDevice,
  type EngineMethod,
  type EnginePort,
  type EngineProgress,
  type EngineReply,
  type EngineRequest,
  type ProgressOf,
  type ResultOf,
  type ToEngineMessage,
  type WireArgs,
} from './protocol.ts';

/** A worker the engine owns (a `Worker` is one): it may terminate it. */
export interface OwnedWorker extends EnginePort {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** An exception nothing in the worker caught, or a worker script that failed to load. */
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** A call waiting for its reply. */
interface PendingCall {
  progress(progress: EngineProgress): void;
  settle(reply: EngineReply): void;
  fail(error: EngineError): void;
}

/** One port and the calls waiting on it; an owned worker's connection ends when the worker is terminated. */
interface Connection {
  readonly port: EnginePort;
  readonly pending: Map<number, PendingCall>;
  /** Set for an owned worker only. */
  readonly terminate: (() => void) | null;
}

/**
 * The Engine in a Web Worker, seen from the page (web-llm's pattern): the same interface as the in-thread engine,
 * each call one request of protocol.ts. A call's `signal` posts a cancel and rejects the call at once with an
 * EngineError 'cancelled' (the worker's engine stops at its next check; its late reply is ignored); `onProgress`
 * receives the call's progress messages, all before the call settles; errors are EngineErrors again, kind, message
 * and detail as the worker's engine threw them.
 *
 * Constructed from
 *  - a port the caller owns (a MessagePort, or a Worker it terminates itself): `dispose()` asks the engine to
 *    release its sessions and buffers and leaves the port open;
 *  - a function that creates the worker (`() => new Worker(new URL('./engine.worker.ts', import.meta.url), { type:
 *    'module' })`): the engine owns its workers. It creates one at once; `dispose()` asks the engine to release,
 *    then terminates the worker (`terminate()`, which also frees whatever the engine could not) and rejects the
 *    calls still waiting with 'cancelled'; the next call creates a fresh worker, so the engine can load again as
 *    the Engine interface promises. A worker that fails (an `error` event: an uncaught exception, a script that
 *    did not load) is terminated the same way, its waiting calls rejected with 'internal'.
 */
export class WorkerEngine implements Engine {
  private connection: Connection | null;
  private nextId = 1;
  /** The connection for the next call when there is none: the caller's port, or a new owned worker. */
  private readonly open: () => Connection;

  constructor(source: EnginePort | (() => OwnedWorker)) {
    if (typeof source === 'function') {
      this.open = () => this.openWorker(source);
    } else {
      const connection = listen(source, null);
      this.open = () => connection;
    }
    this.connection = this.open();
  }

  inspect(...[source, options]: Parameters<Engine['inspect']>) {
    return this.call('inspect', [source, withoutCallbacks(options)], options);
  }
  load(...[source, options]: Parameters<Engine['load']>) {
    return this.call('load', [source, withoutCallbacks(options)], options);
  }
  describe() {
    return this.call('describe', []);
  }
  tokenize(...args: Parameters<Engine['tokenize']>) {
    return this.call('tokenize', args);
  }
  decode(...args: Parameters<Engine['decode']>) {
    return this.call('decode', args);
  }
  applyChatTemplate(...args: Parameters<Engine['applyChatTemplate']>) {
    return this.call('applyChatTemplate', args);
  }
  estimateMemory(...args: Parameters<Engine['estimateMemory']>) {
    return this.call('estimateMemory', args);
  }
  prepareTraining(...[setup, options]: Parameters<Engine['prepareTraining']>) {
    return this.call('prepareTraining', [setup, withoutCallbacks(options)], options);
  }
  train(...[request, options]: Parameters<Engine['train']>) {
    return this.call('train', [request, withoutCallbacks(options)], options);
  }
  evaluate(...[examples, options]: Parameters<Engine['evaluate']>) {
    return this.call('evaluate', [examples, withoutCallbacks(options)], options);
  }
  score(...[request, options]: Parameters<Engine['score']>) {
    return this.call('score', [request, withoutCallbacks(options)], options);
  }
  scoreLabels(...[request, options]: Parameters<Engine['scoreLabels']>) {
    return this.call('scoreLabels', [request, withoutCallbacks(options)], options);
  }
  generate(...[request, options]: Parameters<Engine['generate']>) {
    return this.call('generate', [request, withoutCallbacks(options)], options);
  }
  readAdapter() {
    return this.call('readAdapter', []);
  }
  readCheckpoint() {
    return this.call('readCheckpoint', []);
  }
  checkpointAdapter(...args: Parameters<Engine['checkpointAdapter']>) {
    return this.call('checkpointAdapter', args);
  }
  checkpointModel(...args: Parameters<Engine['checkpointModel']>) {
    return this.call('checkpointModel', args);
  }
  loadAdapter(...args: Parameters<Engine['loadAdapter']>) {
    return this.call('loadAdapter', args);
  }
  listCache() {
    return this.call('listCache', []);
  }
  clearCache(...args: Parameters<Engine['clearCache']>) {
    return this.call('clearCache', args);
  }

  async dispose(): Promise<void> {
    const connection = this.connection;
    // An owned worker already terminated holds nothing: no new worker just to dispose it.
    if (!connection) return;
    if (!connection.terminate) return this.call('dispose', []);
    try {
      await this.call('dispose', []);
    } finally {
      this.close(connection, new EngineError('cancelled', 'the engine was disposed'));
    }
  }

  /**
   * Ends an owned worker at once, without asking its engine to release anything (terminating the worker frees it
   * all): for a worker whose GPU device is lost, whose engine may never answer. The calls still waiting reject
   * 'cancelled'; the next call starts a fresh worker, as after dispose(). On a caller's port it only rejects them.
   */
  terminate(): void {
    if (this.connection) this.close(this.connection, new EngineError('cancelled', "the engine's worker was terminated"));
  }

  /**
   * TEST ONLY: asks the worker to destroy its GPU device now (`atStep` null) or right after train step `atStep` is
   * reported ('debug-lose-device', protocol.ts). Only an e2e build's worker does; any other rejects 'usage'.
   */
  debugLoseDevice(atStep: number | null = null): Promise<void> {
    return this.send<EngineMethod, void>((id) => ({ type: 'debug-lose-device', id, atStep }), 'debugLoseDevice');
  }

  private call<M extends EngineMethod>(
    method: M,
    args: WireArgs<M>,
    options?: { readonly signal?: AbortSignal; readonly onProgress?: (progress: ProgressOf<M>) => void },
  ): Promise<ResultOf<M>> {
    const request = (id: number): EngineRequest<M> => ({ type: 'request', id, method, args });
    // The worker posts a request's own method's progress under its id, hence the narrowing.
    return this.send<M, ResultOf<M>>(request, method, options as { readonly signal?: AbortSignal; readonly onProgress?: (progress: EngineProgress) => void } | undefined);
  }

  /** Posts the message `build` makes with a fresh id and settles with the reply under that id. */
  private send<M extends EngineMethod, R>(
    build: (id: number) => EngineRequest<M> | EngineDebugLoseDevice,
    what: string,
    options?: { readonly signal?: AbortSignal; readonly onProgress?: (progress: EngineProgress) => void },
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted) return reject(new EngineError('cancelled', 'cancelled'));
      const connection = this.connect();
      const id = this.nextId++;
      const post = (message: ToEngineMessage | EngineRequest<M>): void => connection.port.postMessage(message, []);
      const end = (): void => {
        signal?.removeEventListener('abort', cancel);
        connection.pending.delete(id);
      };
      const cancel = (): void => {
        end();
        post({ type: 'cancel', id });
        reject(new EngineError('cancelled', 'cancelled'));
      };
      connection.pending.set(id, {
        progress: (progress) => options?.onProgress?.(progress),
        settle: (reply) => {
          end();
          if (reply.ok) resolve(reply.result as R);
          else reject(fromEngineErrorData(reply.error));
        },
        fail: (error) => {
          end();
          reject(error);
        },
      });
      signal?.addEventListener('abort', cancel);
      try {
        // Arguments are cloned, never transferred: the caller keeps what it passed (protocol.ts).
        post(build(id));
      } catch (error) {
        end();
        const reason = error instanceof Error ? error.message : String(error);
        reject(new EngineError('usage', `${what}: its arguments cannot be sent to the engine's worker (${reason})`));
      }
    });
  }

  private connect(): Connection {
    this.connection ??= this.open();
    return this.connection;
  }

  private openWorker(createWorker: () => OwnedWorker): Connection {
    const worker = createWorker();
    const connection = listen(worker, () => worker.terminate());
    worker.addEventListener('error', (event) => {
      this.close(connection, new EngineError('internal', `the engine's worker failed: ${event.message}`));
    });
    return connection;
  }

  /** Terminates an owned worker and rejects the calls still waiting on it. */
  private close(connection: Connection, error: EngineError): void {
    if (this.connection === connection) this.connection = null;
    connection.terminate?.();
    for (const call of [...connection.pending.values()]) call.fail(error);
  }
}

function listen(port: EnginePort, terminate: (() => void) | null): Connection {
  const connection: Connection = { port, pending: new Map(), terminate };
  port.addEventListener('message', (event) => {
    const message: unknown = event.data;
    if (!isFromEngineMessage(message)) return;
    // No pending call: it was cancelled (or its worker closed) and its late messages do not matter.
    const call = connection.pending.get(message.id);
    if (message.type === 'progress') call?.progress(message.progress);
    else call?.settle(message);
  });
  port.start?.();
  return connection;
}

/** Call options as they cross: the signal and progress callback stay here (they travel as cancel and progress). */
function withoutCallbacks<T extends CallOptions & { readonly onProgress?: unknown }>(options: T | undefined): Omit<T, 'signal' | 'onProgress'> | undefined {
  if (!options) return undefined;
  const { signal: _signal, onProgress: _onProgress, ...rest } = options;
  return rest;
}
