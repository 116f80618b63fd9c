// Stand-ins for the workers' engines a RecoveringEngine goes through (what createWorkerEngine makes in the studio): each
// records its calls and answers them from one script; `terminate` ends it (later calls reject 'cancelled').
import type { Engine } from '../../../src/engine/engine.ts';
import { EngineError } from '../../../src/engine/errors.ts';
import type { EndableEngine } from '../../../src/engine/worker/recovering-engine.ts';

export interface FakeEngine extends EndableEngine {
  /** 0 for the first engine made, 1 for the next... */
  readonly index: number;
  readonly calls: string[];
  readonly terminated: boolean;
}

/** How engine `index` answers `method` (an EngineError 'usage' when the script returns undefined). */
export type Answer = (index: number, method: keyof Engine, args: unknown[]) => Promise<unknown> | undefined;

/** The factory (`create`) and every engine it made, in order. */
export function fakeEngines(answer: Answer) {
  const made: FakeEngine[] = [];
  const create = (): FakeEngine => {
    const state = { index: made.length, calls: [] as string[], terminated: false };
    // A Proxy answers every Engine method without listing them; `then` stays undefined, since an engine is awaited as
    // a value (RecoveringEngine.current()).
    const engine = new Proxy(state, {
      get(target, key) {
        if (key in target) return target[key as keyof typeof target];
        if (key === 'terminate') return () => void (target.terminated = true);
        if (typeof key !== 'string' || key === 'then') return undefined;
        return (...args: unknown[]) => {
          if (target.terminated) return Promise.reject(new EngineError('cancelled', `engine ${target.index} was terminated`));
          target.calls.push(key);
          return answer(target.index, key as keyof Engine, args) ?? Promise.reject(new EngineError('usage', `engine ${target.index}: no answer for ${key}`));
        };
      },
    }) as unknown as FakeEngine;
    made.push(engine);
    return engine;
  };
  return { create, made };
}

export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error: unknown = await promise.then(
    () => new Error('the call resolved'),
    (e: unknown) => e,
  );
  if (!(error instanceof EngineError)) throw new Error(`expected an EngineError, got ${String(error)}`);
  return error;
}
