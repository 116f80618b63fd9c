// The worker protocol end to end in Node: WorkerEngine (client.ts) and serveEngine (serve.ts) on the two ends of a
// MessageChannel, with a scripted fake Engine behind it. Every method round-trips, progress comes before the reply,
// cancel rejects at once and aborts the engine's signal, errors keep kind/message/detail, concurrent calls are
// matched by id, results' bytes are transferred and arguments' bytes cloned, an owned worker is terminated by
// dispose() or terminate() and replaced by the next call, and the test-only 'debug-lose-device' is answered only by
// a worker served with a DebugDeviceLoss.
import { afterEach, describe, expect, test } from 'vitest';
import type { Engine, LoadProgress, ModelInfo, PeftAdapter, TrainProgress, TrainRequest } from '../../../src/engine/engine.ts';
import { ENGINE_ERROR_KINDS, EngineError } from '../../../src/engine/errors.ts';
import { WorkerEngine, type OwnedWorker } from '../../../src/engine/worker/client.ts';
import type { EngineMethod, EnginePort, ResultOf } from '../../../src/engine/worker/protocol.ts';
import { DebugDeviceLoss } from '../../../src/engine/worker/debug-device-loss.ts';
import { serveEngine, type ServeOptions } from '../../../src/engine/worker/serve.ts';
import { DeviceLostError } from '../../../src/runtime/device-watch.ts';

// Compile-time: the ends the browser has are EnginePorts, and a Worker is an OwnedWorker.
export const portsTheBrowserHas = (worker: Worker, port: MessagePort): [EnginePort, EnginePort, OwnedWorker] => [worker, port, worker];

type Script = { [M in EngineMethod]: (...args: Parameters<Engine[M]>) => ReturnType<Engine[M]> };

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const modelInfo: ModelInfo = {
  label: 'HuggingFaceTB/SmolLM2-135M-Instruct',
  source: 'hub',
  base: { name: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main' },
  architecture: 'LlamaForCausalLM',
  parameters: 134_515_008,
  hiddenSize: 576,
  layers: 30,
  contextLength: 8192,
  vocabSize: 49_152,
  weightDtype: 'BF16',
  weightBytes: 269_060_552,
  randomWeights: false,
  hasTokenizer: true,
  hasChatTemplate: true,
  eosTokenIds: [2],
  padTokenId: null,
};

const memory = {
  peakBytes: 1e9,
  parts: { weights: 5e8, adapterAndOptimizer: 1e7, activations: 4.9e8 },
  largestBufferBytes: 1e8,
  limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 },
  budgetBytes: null,
  fits: true,
  advice: [],
};

const setup = { lora: { r: 8, alpha: 16, targets: ['q', 'v'] }, batchSize: 4, seqLen: 128, ep: 'wasm' as const };

const trainRequest: TrainRequest = {
  examples: [{ prompt: 'Is the sky blue?', completion: 'yes' }, { tokens: [1, 2, 3], promptLength: 2 }],
  steps: 3,
  lr: { peak: 2e-4, warmupSteps: 1, decay: 'cosine' },
};

/** Bytes no two offsets share within 251, so a shifted or truncated copy differs. */
function patternBytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + 3) % 251);
}

/** Byte equality without vitest's element-by-element diffing, which takes seconds for a MiB or so. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

function adapter(weights = patternBytes(4096)): PeftAdapter {
  return { config: { r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] }, weights };
}

const loadSteps: LoadProgress[] = ['config.json', 'model.safetensors', 'tokenizer.json'].map((file, i) => ({
  phase: i === 2 ? 'tokenizer' : i === 1 ? 'weights' : 'download',
  file,
  loadedBytes: 100 * (i + 1),
  totalBytes: 300,
  fromCache: false,
}));

function trainStep(step: number): TrainProgress {
  return { step, steps: 3, loss: 3 - step / 2, lr: 2e-4, tokens: 40, positions: 64, elapsedMs: step };
}

const defaults: Script = {
  inspect: () => Promise.resolve({ label: 'x', files: [], totalBytes: 0, toDownloadBytes: 0, config: {} }),
  load: () => Promise.resolve(modelInfo),
  describe: () => Promise.resolve(modelInfo),
  tokenize: () => Promise.resolve([1, 2, 3]),
  decode: () => Promise.resolve('text'),
  applyChatTemplate: () => Promise.resolve('<|im_start|>user\nhi<|im_end|>\n'),
  estimateMemory: () => Promise.resolve(memory),
  prepareTraining: () => Promise.resolve({ memory, trainableParameters: 1, step: 0, microBatches: 1, lengthBuckets: [64], stats: { trainStepNodes: 1, trainStepKernels: 1, trainStepProductFlops: 1, trainStepLossChunks: 1, buildMs: 1, sessionMs: 1 } }),
  train: () => Promise.resolve({ losses: [1], step: 1 }),
  evaluate: () => Promise.resolve({ loss: 1, tokens: 1 }),
  score: () => Promise.resolve([{ logprob: -1, tokens: 1, tokenLogprobs: [-1] }]),
  scoreLabels: () => Promise.resolve([{ probabilities: [0.5, 0.5], logprobs: [-1, -1], best: 0 }]),
  generate: () => Promise.resolve({ ids: [5], text: 'x', finishReason: 'length', promptTokens: 3, timings: { prefillMs: 1, decodeMs: 1 } }),
  readAdapter: () => Promise.resolve(adapter()),
  readCheckpoint: () => Promise.resolve({ step: 1, state: patternBytes(64) }),
  checkpointAdapter: () => Promise.resolve(adapter()),
  checkpointModel: () => Promise.resolve({ files: [{ name: 'config.json', bytes: patternBytes(16) }] }),
  loadAdapter: () => Promise.resolve(),
  listCache: () => Promise.resolve([]),
  clearCache: () => Promise.resolve(0),
  dispose: () => Promise.resolve(),
};

/** An Engine that records its calls and answers from a script (per method; the defaults above otherwise). */
class ScriptedEngine implements Engine {
  readonly calls: { method: EngineMethod; args: unknown[] }[] = [];
  constructor(readonly script: Partial<Script> = {}) {}

  private run<M extends EngineMethod>(method: M, args: Parameters<Engine[M]>): ReturnType<Engine[M]> {
    this.calls.push({ method, args });
    const answer: Script[M] = this.script[method] ?? defaults[method];
    return answer(...args);
  }

  argsOf(method: EngineMethod): unknown[] {
    const call = this.calls.findLast((c) => c.method === method);
    if (!call) throw new Error(`the engine got no ${method} call`);
    return call.args;
  }

  inspect(...args: Parameters<Engine['inspect']>) {
    return this.run('inspect', args);
  }
  load(...args: Parameters<Engine['load']>) {
    return this.run('load', args);
  }
  describe() {
    return this.run('describe', []);
  }
  tokenize(...args: Parameters<Engine['tokenize']>) {
    return this.run('tokenize', args);
  }
  decode(...args: Parameters<Engine['decode']>) {
    return this.run('decode', args);
  }
  applyChatTemplate(...args: Parameters<Engine['applyChatTemplate']>) {
    return this.run('applyChatTemplate', args);
  }
  estimateMemory(...args: Parameters<Engine['estimateMemory']>) {
    return this.run('estimateMemory', args);
  }
  prepareTraining(...args: Parameters<Engine['prepareTraining']>) {
    return this.run('prepareTraining', args);
  }
  train(...args: Parameters<Engine['train']>) {
    return this.run('train', args);
  }
  evaluate(...args: Parameters<Engine['evaluate']>) {
    return this.run('evaluate', args);
  }
  score(...args: Parameters<Engine['score']>) {
    return this.run('score', args);
  }
  scoreLabels(...args: Parameters<Engine['scoreLabels']>) {
    return this.run('scoreLabels', args);
  }
  generate(...args: Parameters<Engine['generate']>) {
    return this.run('generate', args);
  }
  readAdapter() {
    return this.run('readAdapter', []);
  }
  readCheckpoint() {
    return this.run('readCheckpoint', []);
  }
  checkpointAdapter(...args: Parameters<Engine['checkpointAdapter']>) {
    return this.run('checkpointAdapter', args);
  }
  checkpointModel(...args: Parameters<Engine['checkpointModel']>) {
    return this.run('checkpointModel', args);
  }
  loadAdapter(...args: Parameters<Engine['loadAdapter']>) {
    return this.run('loadAdapter', args);
  }
  listCache() {
    return this.run('listCache', []);
  }
  clearCache(...args: Parameters<Engine['clearCache']>) {
    return this.run('clearCache', args);
  }
  dispose() {
    return this.run('dispose', []);
  }
}

const openPorts: MessagePort[] = [];

afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

function channel(): MessageChannel {
  const pair = new MessageChannel();
  openPorts.push(pair.port1, pair.port2);
  return pair;
}

/** A client and a served engine on the two ends of a MessageChannel (the client does not own the port). */
function connect(script: Partial<Script> = {}, options: ServeOptions = {}) {
  const engine = new ScriptedEngine(script);
  const { port1, port2 } = channel();
  serveEngine(engine, port2, options);
  return { engine, client: new WorkerEngine(port1), port: port1 };
}

/** Stand-ins for Workers the client owns: each serves a new ScriptedEngine; `terminate` closes its channel. */
function workerFactory(script: Partial<Script> = {}) {
  const workers: { engine: ScriptedEngine; port: MessagePort; terminated: boolean }[] = [];
  const create = (): OwnedWorker => {
    const engine = new ScriptedEngine(script);
    const { port1, port2 } = channel();
    serveEngine(engine, port2);
    const record = { engine, port: port1, terminated: false };
    workers.push(record);
    return Object.assign(port1, {
      terminate: () => {
        record.terminated = true;
        port1.close();
        port2.close();
      },
    });
  };
  return { create, workers };
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error: unknown = await promise.then(
    () => new Error('the call resolved'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('every Engine method round-trips', () => {
  // One case per method (a missing method does not compile): its arguments, the engine's result, and the arguments
  // the engine must see (the same, except that options with a signal gain the request's own signal).
  type Case<M extends EngineMethod> = { args: Parameters<Engine[M]>; result: () => ResultOf<M>; received?: unknown[] };
  const withSignal: unknown = expect.objectContaining({ signal: expect.any(AbortSignal) as unknown });
  const files = [{ name: 'config.json', blob: new Blob(['{"model_type":"llama"}']) }];
  const cases: { [M in EngineMethod]: Case<M> } = {
    inspect: {
      args: [{ kind: 'files', label: 'my model', files }],
      result: () => ({ label: 'my model', files: [{ name: 'config.json', size: 22, cached: false }], totalBytes: 22, toDownloadBytes: 0, config: { model_type: 'llama' } }),
      received: [{ kind: 'files', label: 'my model', files: [{ name: 'config.json', blob: expect.any(Blob) as unknown }] }, withSignal],
    },
    load: {
      args: [{ kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main', endpoint: 'http://127.0.0.1:1', token: 'hf_x' }],
      result: () => modelInfo,
      received: [{ kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main', endpoint: 'http://127.0.0.1:1', token: 'hf_x' }, withSignal],
    },
    describe: { args: [], result: () => ({ ...modelInfo, label: 'described' }) },
    tokenize: { args: ['Hello world', { addSpecialTokens: false }], result: () => [9906, 1917] },
    decode: { args: [[9906, 1917], { skipSpecialTokens: true }], result: () => 'Hello world' },
    applyChatTemplate: {
      args: [[{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }], { addGenerationPrompt: true }],
      result: () => '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n',
    },
    estimateMemory: { args: [setup, { config: { vocab_size: 64 } }], result: () => ({ ...memory, fits: false, advice: ['sequence length 64'] }) },
    prepareTraining: {
      args: [{ ...setup, adapter: adapter(), maxGradNorm: null }],
      result: () => ({ memory, trainableParameters: 460_800, step: 0, microBatches: 2, lengthBuckets: [64, 128], stats: { trainStepNodes: 4321, trainStepKernels: 3000, trainStepProductFlops: 1e9, trainStepLossChunks: 2, buildMs: 12.5, sessionMs: 40 } }),
      received: [{ ...setup, adapter: adapter(), maxGradNorm: null }, withSignal],
    },
    train: { args: [trainRequest], result: () => ({ losses: [2.5, 2.1, 1.9], step: 3 }), received: [trainRequest, withSignal] },
    evaluate: { args: [trainRequest.examples], result: () => ({ loss: 1.25, tokens: 17 }), received: [trainRequest.examples, withSignal] },
    score: {
      args: [{ examples: trainRequest.examples, adapter: { kind: 'peft', adapter: adapter() }, ep: 'wasm' }],
      result: () => [{ logprob: -2.5, tokens: 2, tokenLogprobs: [-1.5, -1] }],
      received: [{ examples: trainRequest.examples, adapter: { kind: 'peft', adapter: adapter() }, ep: 'wasm' }, withSignal],
    },
    scoreLabels: {
      args: [{ prompts: ['Is it?'], labels: ['yes', 'no'], adapter: { kind: 'none' } }],
      result: () => [{ probabilities: [0.75, 0.25], logprobs: [-0.5, -1.6], best: 0 }],
      received: [{ prompts: ['Is it?'], labels: ['yes', 'no'], adapter: { kind: 'none' } }, withSignal],
    },
    generate: {
      args: [{ prompt: { messages: [{ role: 'user', content: 'hi' }] }, maxNewTokens: 4, temperature: 0.7, topP: 0.9, seed: 3, stop: ['\n'] }],
      result: () => ({ ids: [7, 8], text: 'ok', finishReason: 'eos', promptTokens: 9, timings: { prefillMs: 2, decodeMs: 3 } }),
      received: [{ prompt: { messages: [{ role: 'user', content: 'hi' }] }, maxNewTokens: 4, temperature: 0.7, topP: 0.9, seed: 3, stop: ['\n'] }, withSignal],
    },
    readAdapter: { args: [], result: () => adapter() },
    readCheckpoint: { args: [], result: () => ({ step: 12, state: patternBytes(256) }) },
    checkpointAdapter: { args: [{ step: 12, state: patternBytes(256) }], result: () => adapter() },
    checkpointModel: { args: [{ step: 12, state: patternBytes(256) }], result: () => ({ files: [{ name: 'model.safetensors', bytes: patternBytes(128) }] }) },
    loadAdapter: { args: [adapter()], result: () => undefined },
    listCache: {
      args: [],
      result: () => [{ endpoint: 'https://huggingface.co', repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main', file: 'model.safetensors', bytes: 269_060_552 }],
    },
    clearCache: { args: [{ repo: 'HuggingFaceTB/SmolLM2-135M-Instruct' }], result: () => 3 },
    dispose: { args: [], result: () => undefined },
  };

  const methods = Object.keys(cases) as EngineMethod[];

  test.each(methods)('%s', async (method) => {
    const { args, result, received } = cases[method] as Case<EngineMethod>;
    const script = { [method]: () => Promise.resolve(result()) } as Partial<Script>;
    const { engine, client } = connect(script);
    const call = (client[method] as (...a: unknown[]) => Promise<unknown>).bind(client);
    expect(await call(...args)).toEqual(result());
    expect(engine.calls.map((c) => c.method)).toEqual([method]);
    expect(engine.argsOf(method)).toEqual(received ?? args);
  });

  test("a 'files' source's Blobs arrive with their bytes", async () => {
    const { engine, client } = connect();
    await client.inspect({ kind: 'files', label: 'my model', files });
    const [source] = engine.argsOf('inspect') as Parameters<Engine['inspect']>;
    expect(source.kind).toBe('files');
    if (source.kind !== 'files') return;
    expect(await source.files[0]?.blob.text()).toBe('{"model_type":"llama"}');
  });
});

describe('progress', () => {
  test("load's progress arrives in order, all before the reply", async () => {
    const { client } = connect({
      load: (_source, options) => {
        for (const p of loadSteps) options?.onProgress?.(p);
        return Promise.resolve(modelInfo);
      },
    });
    const seen: (LoadProgress | 'reply')[] = [];
    await client.load({ kind: 'url', label: 'demo', baseUrl: 'http://127.0.0.1:1/models/demo/' }, { onProgress: (p) => seen.push(p) }).then(() => seen.push('reply'));
    expect(seen).toEqual([...loadSteps, 'reply']);
  });

  test("train's progress goes to its own call only, in order, before the reply", async () => {
    const { client } = connect({
      train: async (_request, options) => {
        for (const step of [1, 2, 3]) {
          await Promise.resolve();
          options?.onProgress?.(trainStep(step));
        }
        return { losses: [2.5, 2, 1.5], step: 3 };
      },
      load: (_source, options) => {
        options?.onProgress?.(loadSteps[0]!);
        return Promise.resolve(modelInfo);
      },
    });
    const trainSeen: (number | 'reply')[] = [];
    const loadSeen: string[] = [];
    await Promise.all([
      client.train(trainRequest, { onProgress: (p) => trainSeen.push(p.step) }).then(() => trainSeen.push('reply')),
      client.load({ kind: 'url', label: 'demo', baseUrl: 'http://127.0.0.1:1/' }, { onProgress: (p) => loadSeen.push(p.file) }).then(() => loadSeen.push('reply')),
    ]);
    expect(trainSeen).toEqual([1, 2, 3, 'reply']);
    expect(loadSeen).toEqual(['config.json', 'reply']);
  });
});

describe('generation streaming', () => {
  test("generate's tokens stream as progress, in order, before the reply", async () => {
    const chunks = [
      { ids: [11], text: 'Hel', generated: 1 },
      { ids: [12, 13], text: 'lo ', generated: 3 },
      { ids: [2], text: '', generated: 4 },
    ];
    const { client } = connect({
      generate: async (_request, options) => {
        for (const chunk of chunks) {
          await Promise.resolve();
          options?.onProgress?.(chunk);
        }
        return { ids: [11, 12, 13, 2], text: 'Hello ', finishReason: 'eos', promptTokens: 5, timings: { prefillMs: 1, decodeMs: 2 } };
      },
    });
    const seen: unknown[] = [];
    const result = await client.generate({ prompt: { text: 'Say hello' }, maxNewTokens: 8 }, { onProgress: (p) => seen.push(p) }).then((r) => {
      seen.push('reply');
      return r;
    });
    expect(seen).toEqual([...chunks, 'reply']);
    expect(result.ids).toEqual(chunks.flatMap((c) => c.ids));
  });
});

describe('cancel', () => {
  test("aborting mid-train rejects 'cancelled' and aborts the engine's signal", async () => {
    const firstStep = deferred();
    const engineSawAbort = deferred();
    const { client } = connect({
      train: async (_request, options) => {
        options?.onProgress?.(trainStep(1));
        const signal = options?.signal;
        if (!signal) throw new Error('the engine got no signal');
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        engineSawAbort.resolve();
        throw new EngineError('cancelled', 'cancelled');
      },
    });
    const controller = new AbortController();
    const training = client.train(trainRequest, { signal: controller.signal, onProgress: () => firstStep.resolve() });
    await firstStep.promise;
    controller.abort();
    const error = await rejection(training);
    expect(error.kind).toBe('cancelled');
    await engineSawAbort.promise;
  });

  test('the call rejects at once, without waiting for the engine, and its late reply is ignored', async () => {
    const started = deferred();
    const finish = deferred();
    const { client } = connect({
      train: async () => {
        started.resolve();
        await finish.promise; // an engine that does not check its signal
        return { losses: [1], step: 1 };
      },
    });
    const controller = new AbortController();
    const training = client.train(trainRequest, { signal: controller.signal });
    await started.promise;
    controller.abort();
    expect((await rejection(training)).kind).toBe('cancelled');
    finish.resolve();
    // The late reply is dropped; the client keeps answering other calls.
    expect(await client.tokenize('after')).toEqual([1, 2, 3]);
  });

  test('an already aborted signal rejects without a request', async () => {
    const { engine, client } = connect();
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(client.evaluate(trainRequest.examples, { signal: controller.signal }))).kind).toBe('cancelled');
    await client.describe();
    expect(engine.calls.map((c) => c.method)).toEqual(['describe']);
  });
});

describe('errors', () => {
  test.each(ENGINE_ERROR_KINDS)('an EngineError of kind %s keeps its kind, message and detail', async (kind) => {
    const detail = { file: 'model-00002-of-00002.safetensors', status: 404, url: 'http://127.0.0.1:1/resolve/main/model-00002-of-00002.safetensors' };
    const { client } = connect({ evaluate: () => Promise.reject(new EngineError(kind, `failed: ${kind}`, detail)) });
    const error = await rejection(client.evaluate(trainRequest.examples));
    expect([error.name, error.kind, error.message, error.detail]).toEqual(['EngineError', kind, `failed: ${kind}`, detail]);
  });

  test("a lost device becomes 'device-lost'", async () => {
    const lost = new DeviceLostError('unknown', 'GPU process crashed');
    const { client } = connect({ train: () => Promise.reject(lost) });
    const error = await rejection(client.train(trainRequest));
    expect([error.kind, error.message]).toEqual(['device-lost', lost.message]);
  });

  test.each([
    ['an Error', new Error('the graph has no output "loss"'), 'the graph has no output "loss"'],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'dims')"), "TypeError: Cannot read properties of undefined (reading 'dims')"],
    ['a thrown string', 'out of cheese', 'out of cheese'],
  ])("%s becomes 'internal' with its message", async (_name, thrown, message) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a rejection that is not an Error is a case here
    const { client } = connect({ describe: () => Promise.reject(thrown) });
    const error = await rejection(client.describe());
    expect([error.kind, error.message, error.detail]).toEqual(['internal', message, {}]);
  });

  test('an engine method that throws instead of rejecting is answered the same', async () => {
    const { client } = connect({
      describe: () => {
        throw new EngineError('usage', 'no model is loaded');
      },
    });
    const error = await rejection(client.describe());
    expect([error.kind, error.message]).toEqual(['usage', 'no model is loaded']);
  });

  test("a result that cannot be cloned is answered 'internal', and the engine keeps serving", async () => {
    const { client } = connect({ describe: () => Promise.resolve({ ...modelInfo, label: (() => 'x') as unknown as string }) });
    expect((await rejection(client.describe())).kind).toBe('internal');
    expect(await client.tokenize('next')).toEqual([1, 2, 3]);
  });

  test("arguments that cannot be cloned reject 'usage' without a request", async () => {
    const { engine, client } = connect();
    const request = { ...trainRequest, examples: [{ prompt: 'p', completion: () => 'c' }] } as unknown as TrainRequest;
    const error = await rejection(client.train(request));
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(/^train: /);
    await client.describe();
    expect(engine.calls.map((c) => c.method)).toEqual(['describe']);
  });
});

test('concurrent calls are answered by id, in the order the engine finishes them', async () => {
  const gates = { a: deferred(), b: deferred(), c: deferred() };
  const { client } = connect({
    tokenize: async (text) => {
      await gates[text as keyof typeof gates].promise;
      return [text.charCodeAt(0)];
    },
  });
  const finished: string[] = [];
  const calls = (['a', 'b', 'c'] as const).map((text) => client.tokenize(text).then((ids) => (finished.push(text), ids)));
  gates.c.resolve();
  await calls[2];
  gates.a.resolve();
  await calls[0];
  gates.b.resolve();
  expect(await Promise.all(calls)).toEqual([[97], [98], [99]]);
  expect(finished).toEqual(['c', 'a', 'b']);
});

describe('bytes', () => {
  test("a result's adapter bytes are transferred: intact on the page, detached in the worker", async () => {
    const weights = patternBytes(1 << 18);
    const { client } = connect({ readAdapter: () => Promise.resolve(adapter(weights)) });
    const received = await client.readAdapter();
    expect(sameBytes(received.weights, patternBytes(1 << 18))).toBe(true);
    expect(weights.byteLength).toBe(0);
  });

  test('a result that views part of a buffer is copied, leaving the buffer to its owner', async () => {
    const whole = patternBytes(8192);
    const { client } = connect({ readAdapter: () => Promise.resolve(adapter(whole.subarray(100, 4196))) });
    const received = await client.readAdapter();
    expect(received.weights).toEqual(patternBytes(8192).subarray(100, 4196));
    expect(whole.byteLength).toBe(8192);
  });

  test("an argument's bytes are cloned: the caller keeps its adapter", async () => {
    const { engine, client } = connect();
    const mine = adapter(patternBytes(1 << 18));
    await client.loadAdapter(mine);
    expect(mine.weights.byteLength).toBe(1 << 18);
    const [theirs] = engine.argsOf('loadAdapter') as [PeftAdapter];
    expect(sameBytes(theirs.weights, patternBytes(1 << 18))).toBe(true);
  });
});

describe('dispose', () => {
  test('over a port the caller owns: the engine releases, the port stays open', async () => {
    const { engine, client } = connect();
    await client.dispose();
    expect(await client.describe()).toEqual(modelInfo);
    expect(engine.calls.map((c) => c.method)).toEqual(['dispose', 'describe']);
  });

  test('an owned worker is released, terminated, and replaced by the next call', async () => {
    const started = deferred();
    const { create, workers } = workerFactory({
      train: () => {
        started.resolve();
        return new Promise(() => undefined); // still running when dispose comes
      },
    });
    const client = new WorkerEngine(create);
    expect(workers).toHaveLength(1);
    const training = client.train(trainRequest);
    await started.promise;
    await client.dispose();
    expect(workers[0]?.engine.calls.map((c) => c.method)).toEqual(['train', 'dispose']);
    expect(workers[0]?.terminated).toBe(true);
    const error = await rejection(training);
    expect([error.kind, error.message]).toEqual(['cancelled', 'the engine was disposed']);

    expect(await client.describe()).toEqual(modelInfo);
    expect(workers).toHaveLength(2);
    expect(workers[1]?.engine.calls.map((c) => c.method)).toEqual(['describe']);

    await client.dispose();
    await client.dispose(); // nothing left to release: no worker is created for it
    expect(workers.map((w) => w.terminated)).toEqual([true, true]);
  });

  test("a failed owned worker rejects its waiting calls 'internal', is terminated, and is replaced", async () => {
    const started = deferred();
    const { create, workers } = workerFactory({
      load: () => {
        started.resolve();
        return new Promise(() => undefined);
      },
    });
    const client = new WorkerEngine(create);
    const loading = client.load({ kind: 'url', label: 'demo', baseUrl: 'http://127.0.0.1:1/' });
    await started.promise;
    workers[0]?.port.dispatchEvent(Object.assign(new Event('error'), { message: 'Uncaught RangeError: out of memory' }));
    const error = await rejection(loading);
    expect([error.kind, error.message]).toEqual(['internal', "the engine's worker failed: Uncaught RangeError: out of memory"]);
    expect(workers[0]?.terminated).toBe(true);
    expect(await client.describe()).toEqual(modelInfo);
    expect(workers).toHaveLength(2);
  });
});

describe('terminate', () => {
  test("an owned worker is ended without a dispose request, its waiting calls rejected 'cancelled', and replaced by the next call", async () => {
    const started = deferred();
    const { create, workers } = workerFactory({
      train: () => {
        started.resolve();
        return new Promise(() => undefined); // a run on a lost device that never settles
      },
    });
    const client = new WorkerEngine(create);
    const training = client.train(trainRequest);
    await started.promise;
    client.terminate();
    const error = await rejection(training);
    expect([error.kind, error.message]).toEqual(['cancelled', "the engine's worker was terminated"]);
    expect(workers[0]?.terminated).toBe(true);
    expect(workers[0]?.engine.calls.map((c) => c.method)).toEqual(['train']);
    expect(await client.describe()).toEqual(modelInfo);
    expect(workers).toHaveLength(2);
  });
});

describe("'debug-lose-device' (test only)", () => {
  test("a worker served without a DebugDeviceLoss (every build but e2e) answers 'usage' and keeps serving", async () => {
    const { client, engine } = connect();
    const error = await rejection(client.debugLoseDevice());
    expect([error.kind, error.message]).toEqual(['usage', "'debug-lose-device' is a test message: only an e2e build's engine worker answers it"]);
    expect(await client.describe()).toEqual(modelInfo);
    expect(engine.calls.map((c) => c.method)).toEqual(['describe']);
  });

  test('now: the device is destroyed before the reply; with no device yet the call rejects', async () => {
    let devices = 1;
    const destroyed: string[] = [];
    const debug = new DebugDeviceLoss(() => {
      destroyed.push('destroy');
      return Promise.resolve(devices-- > 0);
    });
    const { client } = connect({}, { debugDeviceLoss: debug });
    await client.debugLoseDevice();
    expect(destroyed).toEqual(['destroy']);
    const error = await rejection(client.debugLoseDevice(null));
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(/no GPU device to lose/);
    expect(destroyed).toEqual(['destroy', 'destroy']);
  });

  test('at a step: the device is destroyed once, right after that train step is posted, not for other progress', async () => {
    const log: string[] = [];
    const debug = new DebugDeviceLoss(() => {
      log.push('destroy');
      return Promise.resolve(true);
    });
    const { client } = connect(
      {
        load: (_source, options) => {
          for (const p of loadSteps) options?.onProgress?.(p);
          return Promise.resolve(modelInfo);
        },
        train: async (_request, options) => {
          for (const step of [1, 2, 3, 4]) {
            await Promise.resolve();
            log.push(`step ${step}`);
            options?.onProgress?.(trainStep(step));
          }
          return { losses: [1, 1, 1, 1], step: 4 };
        },
      },
      { debugDeviceLoss: debug },
    );
    await client.debugLoseDevice(2);
    expect(log).toEqual([]);
    await client.load({ kind: 'url', label: 'demo', baseUrl: 'http://127.0.0.1:1/' });
    const seen: number[] = [];
    await client.train(trainRequest, { onProgress: (p) => seen.push(p.step) });
    expect(log).toEqual(['step 1', 'step 2', 'destroy', 'step 3', 'step 4']);
    expect(seen).toEqual([1, 2, 3, 4]);
  });
});
