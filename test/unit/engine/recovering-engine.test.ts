// RecoveringEngine over fake workers' engines: a lost device replaces the engine once and restores it, calls made
// meanwhile wait for the fresh engine, and nothing else replaces it.
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../src/engine/errors.ts';
import { RecoveringEngine } from '../../../src/engine/worker/recovering-engine.ts';
import { deferred, fakeEngines, rejection, type Answer, type FakeEngine } from './fake-endable-engines.ts';

const lost = () => new EngineError('device-lost', 'The WebGPU device was lost (destroyed).');

/** Engine 0's train fails as `trainError` says; every engine tokenizes to [its index]; load answers on every engine. */
function setUp(options: { trainError?: () => EngineError; restore?: (fresh: FakeEngine) => Promise<void>; answer?: Answer } = {}) {
  const { create, made } = fakeEngines(
    (index, method, args) =>
      options.answer?.(index, method, args) ??
      (method === 'tokenize'
        ? Promise.resolve([index])
        : method === 'train' && index === 0 && options.trainError
          ? Promise.reject(options.trainError())
          : method === 'load' || method === 'dispose'
            ? Promise.resolve(undefined)
            : undefined),
  );
  const restored: number[] = [];
  const engine = new RecoveringEngine<FakeEngine>({
    create,
    restore: async (fresh) => {
      restored.push(fresh.index);
      await options.restore?.(fresh);
    },
  });
  return { engine, made, restored };
}

const trainRequest = { examples: [{ prompt: 'p', completion: 'c' }], steps: 1, lr: 1e-3 };

test('no engine is made before the first call; calls go to the one made then', async () => {
  const { engine, made } = setUp();
  expect(made).toHaveLength(0);
  expect(await engine.tokenize('a', { addSpecialTokens: false })).toEqual([0]);
  expect(await engine.tokenize('b', { addSpecialTokens: false })).toEqual([0]);
  expect(made.map((e) => e.calls)).toEqual([['tokenize', 'tokenize']]);
});

describe('a lost device', () => {
  test('the caller gets the loss; the engine is ended (no dispose asked of it), a fresh one made and restored, and later calls go to it', async () => {
    const { engine, made, restored } = setUp({ trainError: lost });
    const error = await rejection(engine.train(trainRequest));
    expect(error.kind).toBe('device-lost');
    await engine.recovered();
    expect(made.map((e) => e.terminated)).toEqual([true, false]);
    expect(made[0]!.calls).toEqual(['train']);
    expect(restored).toEqual([1]);
    expect(await engine.tokenize('a', { addSpecialTokens: false })).toEqual([1]);
    expect(made[1]!.calls).toEqual(['tokenize']);
  });

  test('a call made while the fresh engine is restored waits for the restore, then goes to it', async () => {
    const restoring = deferred();
    const { engine, made } = setUp({ trainError: lost, restore: () => restoring.promise });
    await rejection(engine.train(trainRequest));
    // The recovery started before the caller saw the rejection: this call is already behind it.
    const later = engine.tokenize('a', { addSpecialTokens: false });
    await Promise.resolve();
    expect(made[1]!.calls).toEqual([]);
    restoring.resolve();
    expect(await later).toEqual([1]);
    expect(made[0]!.calls).toEqual(['train']);
  });

  test('two calls lost with the same device make one recovery', async () => {
    const { engine, made, restored } = setUp({ trainError: lost });
    const errors = await Promise.all([rejection(engine.train(trainRequest)), rejection(engine.train(trainRequest))]);
    expect(errors.map((e) => e.kind)).toEqual(['device-lost', 'device-lost']);
    await engine.recovered();
    expect(made).toHaveLength(2);
    expect(restored).toEqual([1]);
  });

  test("a loss reported late by an engine already replaced starts no recovery", async () => {
    const late = deferred<never>();
    const { engine, made } = setUp({ answer: (index, method) => (index === 0 && method === 'evaluate' ? late.promise : undefined) });
    const evaluating = engine.evaluate([]);
    await engine.tokenize('a', { addSpecialTokens: false }); // engine 0 exists and is evaluating
    await engine.recover();
    late.reject(lost());
    expect((await rejection(evaluating)).kind).toBe('device-lost');
    await engine.recovered();
    expect(made).toHaveLength(2);
  });

  test.each(['internal', 'cancelled', 'out-of-memory', 'usage'] as const)('an error of kind %s replaces nothing', async (kind) => {
    const { engine, made } = setUp({ trainError: () => new EngineError(kind, 'no') });
    expect((await rejection(engine.train(trainRequest))).kind).toBe(kind);
    await engine.recovered();
    expect(await engine.tokenize('a', { addSpecialTokens: false })).toEqual([0]);
    expect(made).toHaveLength(1);
  });

  test('a restore that fails still ends the recovery: calls go to the fresh engine', async () => {
    const { engine, made } = setUp({ trainError: lost, restore: () => Promise.reject(new EngineError('network', 'the Hub is down')) });
    await rejection(engine.train(trainRequest));
    await engine.recovered();
    expect(await engine.tokenize('a', { addSpecialTokens: false })).toEqual([1]);
    expect(made.map((e) => e.terminated)).toEqual([true, false]);
  });
});

describe('on purpose', () => {
  test('recover() replaces a working engine; a second call joins the first; current() is the fresh engine', async () => {
    const { engine, made, restored } = setUp();
    await engine.tokenize('a', { addSpecialTokens: false });
    await Promise.all([engine.recover(), engine.recover()]);
    expect(made.map((e) => e.terminated)).toEqual([true, false]);
    expect(restored).toEqual([1]);
    expect(await engine.current()).toBe(made[1]);
  });

  test('recover() before any call makes and restores the first engine', async () => {
    const { engine, made, restored } = setUp();
    await engine.recover();
    expect(made).toHaveLength(1);
    expect(restored).toEqual([0]);
  });

  test('dispose releases the current engine; the next call makes another', async () => {
    const { engine, made } = setUp();
    await engine.tokenize('a', { addSpecialTokens: false });
    await engine.dispose();
    expect(made[0]!.calls).toEqual(['tokenize', 'dispose']);
    expect(await engine.tokenize('a', { addSpecialTokens: false })).toEqual([1]);
  });
});
