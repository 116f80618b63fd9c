// The studio's tuning engine after a lost GPU device, with fake workers' engines in place of createWorkerEngine: the
// worker is replaced, the model last loaded is loaded again into the new one (the panel shows that load), its tokenizer
// set again, and a failed reload leaves no model rather than a model the engine no longer holds.
import { expect, test, vi } from 'vitest';
import type { ModelInfo, ModelSource } from '../../../../src/engine/engine.ts';
import type { EngineErrorDetail, EngineErrorKind } from '../../../../src/engine/errors.ts';
import { deferred, type Answer } from '../../engine/fake-endable-engines.ts';
import { demoModelInfo } from '../model-info.ts';

const workers = vi.hoisted(() => ({ create: null as null | (() => unknown) }));
vi.mock('../../../../src/engine/worker/create-worker-engine.ts', () => ({ createWorkerEngine: () => workers.create!() }));

const demo: ModelSource = { kind: 'url', label: 'fiat-studio/demo', baseUrl: 'http://127.0.0.1:1/models/demo/' };

const info = (index: number): ModelInfo => demoModelInfo({ parameters: 1000 + index });

/** Every engine loads, describes and tokenizes (to [its index]); `override` answers first. */
function answers(override: Answer = () => undefined): Answer {
  return (index, method, args) =>
    override(index, method, args) ??
    (method === 'load' || method === 'describe'
      ? Promise.resolve(info(index))
      : method === 'tokenize'
        ? Promise.resolve([index])
        : method === 'decode'
          ? Promise.resolve('</s>')
          : undefined);
}

/**
 * Fresh copies of the modules (the tuning engine and its last load are module state), over fake engines. Errors are
 * made with the fresh copy's EngineError, which the fresh RecoveringEngine recognises.
 */
async function studio(answer: Answer) {
  vi.resetModules();
  const { fakeEngines, rejection } = await import('../../engine/fake-endable-engines.ts');
  const { EngineError } = await import('../../../../src/engine/errors.ts');
  engineError = (kind, message, detail) => new EngineError(kind, message, detail);
  const fakes = fakeEngines(answer);
  workers.create = fakes.create;
  const lib = await import('../../../../src/ui/lib/tuning-engine.ts');
  const tokenizers = await import('../../../../src/ui/lib/small-model.ts');
  return { ...lib, ...tokenizers, rejection, made: fakes.made };
}

let engineError: (kind: EngineErrorKind, message: string, detail?: EngineErrorDetail) => Error = () => new Error('no studio yet');
const lost = () => Promise.reject(engineError('device-lost', 'The WebGPU device was lost (destroyed).'));
const trainRequest = { examples: [{ prompt: 'p', completion: 'c' }], steps: 1, lr: 1e-3 };

test('after a loss the model last loaded is loaded again into a new worker, shown as such, with its tokenizer set again', async () => {
  const reloading = deferred();
  const s = await studio(
    answers((index, method) => (index < 2 && method === 'train' ? lost() : index === 1 && method === 'load' ? reloading.promise.then(() => info(1)) : undefined)),
  );
  expect(await s.loadSmallModel(demo, 'the demo model')).toEqual(info(0));
  const firstTokenizer = s.currentSmallModelTokenizer();
  expect(await firstTokenizer?.tokenize('a', { addSpecialTokens: false })).toEqual([0]);
  const before = s.smallModelStore.getState();
  expect([before.info, before.loading, before.error]).toEqual([info(0), null, null]);

  expect((await s.rejection(s.tuningEngine().train(trainRequest))).kind).toBe('device-lost');
  // The new worker is loading the same source; the model loaded before shows until it is back.
  await vi.waitFor(() => expect(s.made[1]?.calls).toContain('load'));
  const during = s.smallModelStore.getState();
  expect(during.loading).toMatchObject({ label: 'the demo model', afterDeviceLoss: true });
  expect(during.info).toEqual(info(0));
  expect(s.made[0]!.terminated).toBe(true);

  reloading.resolve();
  await s.tuningEngineRecovered();
  const after = s.smallModelStore.getState();
  expect([after.info, after.loading, after.error]).toEqual([info(1), null, null]);
  expect(s.made[1]!.calls.slice(0, 2)).toEqual(['load', 'describe']);
  // A tokenizer set again (views key their counts by it), counting through the tuning engine, that is the new worker;
  // the one set before now counts there too.
  const tokenizer = s.currentSmallModelTokenizer();
  expect(tokenizer).not.toBe(firstTokenizer);
  expect(await tokenizer?.tokenize('a', { addSpecialTokens: false })).toEqual([1]);
  expect(await firstTokenizer?.tokenize('a', { addSpecialTokens: false })).toEqual([1]);
  expect(s.made).toHaveLength(2);

  // Lost again: a tokenizer set after the first loss counts on the third worker, not the terminated second.
  await s.rejection(s.tuningEngine().train(trainRequest));
  await s.tuningEngineRecovered();
  expect(s.made.map((e) => e.terminated)).toEqual([true, true, false]);
  expect(await tokenizer?.tokenize('a', { addSpecialTokens: false })).toEqual([2]);
});

test('a reload that fails leaves no model loaded, with its error, and no tokenizer', async () => {
  const s = await studio(
    answers((index, method) =>
      index === 0 && method === 'train' ? lost() : index === 1 && method === 'load' ? Promise.reject(engineError('network', 'the Hub answered 503', { status: 503 })) : undefined,
    ),
  );
  await s.loadSmallModel(demo, 'the demo model');
  await s.rejection(s.tuningEngine().train(trainRequest));
  await s.tuningEngineRecovered();
  const after = s.smallModelStore.getState();
  expect([after.info, after.loading]).toEqual([null, null]);
  expect(after.error).toEqual({ kind: 'network', message: 'the Hub answered 503', detail: { status: 503 } });
  expect(s.currentSmallModelTokenizer()).toBeNull();
});

test('a loss with no model loaded yet replaces the worker and loads nothing', async () => {
  const s = await studio(answers((index, method) => (index === 0 && method === 'estimateMemory' ? lost() : undefined)));
  await s.rejection(s.tuningEngine().estimateMemory({ lora: { r: 2, alpha: 4, targets: ['q'] }, batchSize: 1, seqLen: 8, ep: 'webgpu' }));
  await s.tuningEngineRecovered();
  expect(s.made).toHaveLength(2);
  expect(s.made[1]!.calls).toEqual([]);
  expect(s.smallModelStore.getState()).toMatchObject({ info: null, loading: null, error: null });
});

test('a loss seen by a user load in progress on the old worker: the model loaded before comes back', async () => {
  const s = await studio(answers((index, method, args) => (index === 0 && method === 'load' && (args[0] as { label?: string }).label === 'other' ? lost() : undefined)));
  await s.loadSmallModel(demo, 'the demo model');
  expect(await s.loadSmallModel({ ...demo, label: 'other' }, 'another model')).toBeNull();
  await s.tuningEngineRecovered();
  expect(s.smallModelStore.getState().info).toEqual(info(1));
  expect(s.made[1]!.calls[0]).toBe('load');
});

