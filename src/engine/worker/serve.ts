import type { Engine } from '../engine.ts';
import { EngineError, toEngineErrorData, type EngineErrorData } from '../errors.ts';
import { DeviceLostError } from '../../runtime/device-watch.ts';
import type { DebugDeviceLoss } from './debug-device-loss.ts';
import {
  isToEngineMessage,
  type EngineDebugLoseDevice,
  type EngineMethod,
  type EnginePort,
  type EngineRequest,
  type FromEngineMessage,
  type ProgressOf,
  type ResultOf,
  type WireArgs,
} from './protocol.ts';
import { transferablesOf } from './transfer.ts';

/** What a request brings besides its arguments: its cancellation and where its progress goes. */
interface CallContext<M extends EngineMethod> {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: ProgressOf<M>) => void;
}

type Invoker<M extends EngineMethod> = (engine: Engine, args: WireArgs<M>, call: CallContext<M>) => Promise<ResultOf<M>>;

/**
 * How each method's wire arguments become the call: the options that crossed, plus the request's signal and
 * progress callback where the method takes them. One entry per Engine method (a missing one does not compile).
 */
const invokers: { readonly [M in EngineMethod]: Invoker<M> } = {
  inspect: (engine, [source, options], { signal }) => engine.inspect(source, { ...options, signal }),
  load: (engine, [source, options], { signal, onProgress }) => engine.load(source, { ...options, signal, onProgress }),
  describe: (engine) => engine.describe(),
  tokenize: (engine, [text, options]) => engine.tokenize(text, options),
  decode: (engine, [ids, options]) => engine.decode(ids, options),
  applyChatTemplate: (engine, [messages, options]) => engine.applyChatTemplate(messages, options),
  estimateMemory: (engine, [setup, options]) => engine.estimateMemory(setup, options),
  prepareTraining: (engine, [setup, options], { signal }) => engine.prepareTraining(setup, { ...options, signal }),
  train: (engine, [request, options], { signal, onProgress }) => engine.train(request, { ...options, signal, onProgress }),
  evaluate: (engine, [examples, options], { signal }) => engine.evaluate(examples, { ...options, signal }),
  score: (engine, [request, options], { signal }) => engine.score(request, { ...options, signal }),
  scoreLabels: (engine, [request, options], { signal }) => engine.scoreLabels(request, { ...options, signal }),
  generate: (engine, [request, options], { signal, onProgress }) => engine.generate(request, { ...options, signal, onProgress }),
  readAdapter: (engine) => engine.readAdapter(),
  readCheckpoint: (engine) => engine.readCheckpoint(),
  checkpointAdapter: (engine, [checkpoint]) => engine.checkpointAdapter(checkpoint),
  checkpointModel: (engine, [checkpoint]) => engine.checkpointModel(checkpoint),
  loadAdapter: (engine, [adapter]) => engine.loadAdapter(adapter),
  listCache: (engine) => engine.listCache(),
  clearCache: (engine, [filter]) => engine.clearCache(filter),
  dispose: (engine) => engine.dispose(),
};

export interface ServeOptions {
  /**
   * TEST ONLY: answers 'debug-lose-device' (protocol.ts) and sees each progress posted, to lose the device at a train
   * step. engine.worker.ts passes one in e2e builds only; without it that message is answered 'usage'.
   */
  readonly debugDeviceLoss?: DebugDeviceLoss;
}

/**
 * Serves `engine` on `port` (in the worker: `serveEngine(engine, self)`): each request runs at once, concurrently
 * with those still running, and is answered by id when it settles, its progress posted before its reply. A cancel
 * aborts its request's signal; the engine then rejects it (the client has already rejected the call).
 * Errors cross as EngineErrorData: an EngineError as it is, a lost GPU device as 'device-lost', anything else as
 * 'internal' with its message.
 */
export function serveEngine(engine: Engine, port: EnginePort, options: ServeOptions = {}): void {
  const debug = options.debugDeviceLoss ?? null;
  const running = new Map<number, AbortController>();

  const post = (message: FromEngineMessage, transfer: Transferable[] = []): void => port.postMessage(message, transfer);

  const reply = (id: number, result: ResultOf<EngineMethod>): void => {
    try {
      post({ type: 'reply', id, ok: true, result }, transferablesOf(result));
    } catch (error) {
      // A result that cannot be cloned (a DataCloneError) is the engine's bug; the caller still gets an answer.
      post({ type: 'reply', id, ok: false, error: engineErrorData(error) });
    }
  };

  const run = async <M extends EngineMethod>(request: EngineRequest<M>): Promise<void> => {
    const controller = new AbortController();
    running.set(request.id, controller);
    const invoke: Invoker<M> = invokers[request.method];
    try {
      const onProgress = (progress: ProgressOf<M>): void => {
        post({ type: 'progress', id: request.id, progress });
        debug?.progressPosted(request.method, progress);
      };
      reply(request.id, await invoke(engine, request.args, { signal: controller.signal, onProgress }));
    } catch (error) {
      post({ type: 'reply', id: request.id, ok: false, error: engineErrorData(error) });
    } finally {
      running.delete(request.id);
    }
  };

  const loseDevice = async ({ id, atStep }: EngineDebugLoseDevice): Promise<void> => {
    try {
      if (!debug) throw new EngineError('usage', "'debug-lose-device' is a test message: only an e2e build's engine worker answers it");
      await debug.lose(atStep);
      post({ type: 'reply', id, ok: true, result: undefined });
    } catch (error) {
      post({ type: 'reply', id, ok: false, error: engineErrorData(error) });
    }
  };

  port.addEventListener('message', (event) => {
    const message: unknown = event.data;
    if (!isToEngineMessage(message)) return;
    if (message.type === 'cancel') running.get(message.id)?.abort();
    else if (message.type === 'debug-lose-device') void loseDevice(message);
    else void run(message);
  });
  port.start?.();
}

/** Any thrown value as the data of an EngineError. */
export function engineErrorData(error: unknown): EngineErrorData {
  if (error instanceof EngineError) return toEngineErrorData(error);
  if (error instanceof DeviceLostError) return { kind: 'device-lost', message: error.message, detail: {} };
  if (error instanceof Error) return { kind: 'internal', message: error.name === 'Error' ? error.message : `${error.name}: ${error.message}`, detail: {} };
  return { kind: 'internal', message: String(error), detail: {} };
}
