import { describe, expect, it } from 'vitest';
import type { GenerateProgress, GenerateRequest, GenerateResult, LoadOptions, ModelInfo, ModelSource } from '../../../src/engine/engine.ts';
import { EngineError } from '../../../src/engine/errors.ts';
import { reasoningCacheKey } from '../../../src/fiat/reasoning/cache-key.ts';
import { createReasoningProvider, providerIdentity } from '../../../src/fiat/reasoning/provider-factory.ts';
import { collectReasoning } from '../../../src/providers/collect.ts';
import { InBrowserProvider } from '../../../src/providers/in-browser.ts';
import { type GenerationEngine, InBrowserModelLoader, type LoaderState } from '../../../src/providers/in-browser-loader.ts';
import { DEMO_MODEL_VERSION, inBrowserModelOf, type InBrowserModel } from '../../../src/providers/in-browser-model.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';
import type { ProviderEvent, ReasoningRequest } from '../../../src/providers/types.ts';

const DEMO = inBrowserModelOf({ kind: 'demo' }, { demoBaseUrl: 'http://127.0.0.1:5173/models/demo/', hubEndpoint: 'https://huggingface.co' });
const SMOL = inBrowserModelOf({ kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-360M-Instruct', revision: 'main' }, { hubEndpoint: 'https://huggingface.co', demoBaseUrl: '' });

const request: ReasoningRequest = {
  messages: [
    { role: 'system', content: 'You check answers.' },
    { role: 'user', content: 'Is the sky blue?' },
  ],
  params: { temperature: 0, maxTokens: 64, stop: ['Question:'], seed: 3 },
};

function info(label: string): ModelInfo {
  return {
    label, source: 'url', base: { name: label, revision: null }, architecture: 'LlamaForCausalLM', parameters: 336_192, hiddenSize: 64, layers: 2, contextLength: 512, vocabSize: 4096,
    weightDtype: 'BF16', weightBytes: 672_384, randomWeights: true, hasTokenizer: true, hasChatTemplate: true, eosTokenIds: [2], padTokenId: 0,
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type GenerateScript = (request: GenerateRequest, options: { signal?: AbortSignal; onProgress?: (p: GenerateProgress) => void }) => Promise<GenerateResult>;

/** The engine's load and generate as the provider sees them: each load waits for `releaseLoad` when `gated`. */
class FakeEngine implements GenerationEngine {
  readonly loads: ModelSource[] = [];
  readonly requests: GenerateRequest[] = [];
  loadError: EngineError | null = null;
  gate: Deferred<void> | null = null;
  script: GenerateScript = (_request, options) => {
    options.onProgress?.({ ids: [5, 6], text: 'So the ', generated: 2 });
    options.onProgress?.({ ids: [7], text: 'answer is yes.', generated: 3 });
    return Promise.resolve({ ids: [5, 6, 7, 2], text: 'So the answer is yes.', finishReason: 'eos', promptTokens: 21, timings: { prefillMs: 1, decodeMs: 2 } });
  };

  async load(source: ModelSource, options: LoadOptions = {}): Promise<ModelInfo> {
    this.loads.push(source);
    options.onProgress?.({ phase: 'download', file: 'model.safetensors', loadedBytes: 100, totalBytes: 400, fromCache: false });
    if (this.gate) await this.gate.promise;
    if (this.loadError) throw this.loadError;
    return info(source.kind === 'hub' ? source.repo : 'fiat-studio/demo');
  }

  generate(request: GenerateRequest, options: { signal?: AbortSignal; onProgress?: (p: GenerateProgress) => void } = {}): Promise<GenerateResult> {
    this.requests.push(request);
    return this.script(request, options);
  }
}

function setUp(model: InBrowserModel = DEMO) {
  const engine = new FakeEngine();
  let created = 0;
  const loader = new InBrowserModelLoader(() => {
    created += 1;
    return engine;
  });
  const provider = new InBrowserProvider({ id: 'p', model, loader });
  return { engine, loader, provider, created: () => created };
}

async function events(provider: InBrowserProvider, req = request, signal?: AbortSignal): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const e of provider.stream(req, signal ? { signal } : {})) out.push(e);
  return out;
}

function errorOf(all: ProviderEvent[]) {
  const last = all.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error event last, got ${JSON.stringify(all)}`);
  expect(all.filter((e) => e.type === 'error' || e.type === 'done')).toHaveLength(1);
  return last.error;
}

describe('InBrowserProvider.stream', () => {
  it('loads the model, sends the messages through the chat template with the params, streams content deltas, then done with real token counts', async () => {
    const { engine, provider } = setUp();
    expect(await events(provider)).toEqual([
      { type: 'delta', part: 'content', text: 'So the ' },
      { type: 'delta', part: 'content', text: 'answer is yes.' },
      { type: 'done', finishReason: 'stop', usage: { promptTokens: 21, completionTokens: 4, estimated: false } },
    ]);
    expect(engine.loads).toEqual([{ kind: 'url', label: 'fiat-studio/demo', baseUrl: 'http://127.0.0.1:5173/models/demo/' }]);
    expect(engine.requests).toEqual([
      {
        prompt: { messages: request.messages },
        maxNewTokens: 64,
        temperature: 0,
        seed: 3,
        stop: ['Question:'],
        adapter: { kind: 'none' },
      },
    ]);
  });

  it('maps finish reasons (eos and stop: stop; length: length) and sends text held back to the end before done', async () => {
    const { engine, provider } = setUp();
    engine.script = (_r, options) => {
      options.onProgress?.({ ids: [5], text: 'Step one', generated: 1 });
      return Promise.resolve({ ids: [5, 6], text: 'Step one, st', finishReason: 'length', promptTokens: 9, timings: { prefillMs: 1, decodeMs: 1 } });
    };
    const result = await collectReasoning(provider, request);
    expect(result).toMatchObject({ content: 'Step one, st', finishReason: 'length', usage: { promptTokens: 9, completionTokens: 2, estimated: false } });
    engine.script = () => Promise.resolve({ ids: [9, 10], text: 'Done', finishReason: 'stop', promptTokens: 9, timings: { prefillMs: 1, decodeMs: 1 } });
    expect(await events(provider)).toEqual([
      { type: 'delta', part: 'content', text: 'Done' },
      { type: 'done', finishReason: 'stop', usage: { promptTokens: 9, completionTokens: 2, estimated: false } },
    ]);
  });

  it('ends with a bad-response error when the final text is not what was streamed', async () => {
    const { engine, provider } = setUp();
    engine.script = (_r, options) => {
      options.onProgress?.({ ids: [5], text: 'abc', generated: 1 });
      return Promise.resolve({ ids: [5], text: 'xyz', finishReason: 'eos', promptTokens: 3, timings: { prefillMs: 1, decodeMs: 1 } });
    };
    const error = errorOf(await events(provider));
    expect(error.kind).toBe('bad-response');
  });

  it('an abort mid-generation ends with one aborted error; an abort before the start sends nothing', async () => {
    const { engine, provider } = setUp();
    const controller = new AbortController();
    engine.script = (_r, options) =>
      new Promise((_resolve, reject) => {
        options.onProgress?.({ ids: [5], text: 'Partial', generated: 1 });
        options.signal?.addEventListener('abort', () => reject(new EngineError('cancelled', 'cancelled')));
      });
    const seen: ProviderEvent[] = [];
    for await (const event of provider.stream(request, { signal: controller.signal })) {
      seen.push(event);
      if (event.type === 'delta') controller.abort();
    }
    expect(seen[0]).toEqual({ type: 'delta', part: 'content', text: 'Partial' });
    expect(errorOf(seen).kind).toBe('aborted');

    const before = engine.requests.length;
    const aborted = new AbortController();
    aborted.abort();
    expect(errorOf(await events(provider, request, aborted.signal)).kind).toBe('aborted');
    expect(engine.requests.length).toBe(before);
  });

  it('a reader that stops early cancels the generation', async () => {
    const { engine, provider } = setUp();
    const cancelled = deferred<void>();
    engine.script = (_r, options) =>
      new Promise((_resolve, reject) => {
        options.onProgress?.({ ids: [5], text: 'One', generated: 1 });
        options.signal?.addEventListener('abort', () => {
          cancelled.resolve();
          reject(new EngineError('cancelled', 'cancelled'));
        });
      });
    for await (const event of provider.stream(request)) {
      expect(event.type).toBe('delta');
      break;
    }
    await cancelled.promise;
  });

  it('engine errors become provider errors with the engine’s message, typed for retries', async () => {
    const { engine, provider } = setUp();
    engine.script = () => Promise.reject(new EngineError('usage', 'the prompt has 600 tokens; the context holds 512'));
    const usage = errorOf(await events(provider));
    expect(usage.kind).toBe('bad-request');
    expect(usage.message).toBe('In-browser (demo model, random weights): the prompt has 600 tokens; the context holds 512');

    engine.script = () => Promise.reject(new EngineError('internal', 'worker failed'));
    expect(errorOf(await events(provider)).kind).toBe('server');
    engine.script = () => Promise.reject(new Error('not an engine error'));
    expect(errorOf(await events(provider))).toMatchObject({ kind: 'server', message: expect.stringContaining('not an engine error') as unknown });
  });

  it('a load failure is an error event naming the model and the engine’s reason; 401 is auth, 404 not retried, 5xx retried', async () => {
    const cases: [EngineError, string][] = [
      [new EngineError('network', 'HTTP 401 for config.json', { status: 401, file: 'config.json' }), 'auth'],
      [new EngineError('network', 'HTTP 404 for config.json', { status: 404 }), 'bad-request'],
      [new EngineError('network', 'HTTP 503 for model.safetensors', { status: 503 }), 'network'],
      [new EngineError('network', 'the download stalled'), 'network'],
      [new EngineError('config', 'config.json: architecture Foo is not supported'), 'bad-request'],
      [new EngineError('out-of-memory', 'the weights do not fit'), 'bad-request'],
    ];
    for (const [cause, kind] of cases) {
      const { engine, provider } = setUp(SMOL);
      engine.loadError = cause;
      const error = errorOf(await events(provider));
      expect(error.kind, cause.message).toBe(kind);
      expect(error.message).toContain(`In-browser (HuggingFaceTB/SmolLM2-360M-Instruct@main): the model HuggingFaceTB/SmolLM2-360M-Instruct@main did not load: ${cause.message}`);
      if (kind === 'auth') expect(error.message).toMatch(/needs a Hugging Face token/);
      expect(engine.requests).toHaveLength(0);
    }
  });

  it('a lost device makes the next request load the model again', async () => {
    const { engine, provider } = setUp();
    engine.script = () => Promise.reject(new EngineError('device-lost', 'the GPU device was lost'));
    expect(errorOf(await events(provider)).kind).toBe('server');
    expect(engine.loads).toHaveLength(1);
    engine.script = () => Promise.resolve({ ids: [2], text: '', finishReason: 'eos', promptTokens: 4, timings: { prefillMs: 1, decodeMs: 1 } });
    expect((await events(provider)).at(-1)?.type).toBe('done');
    expect(engine.loads).toHaveLength(2);
  });
});

describe('InBrowserModelLoader', () => {
  it('creates the engine and loads the model once for every provider and concurrent request; reports the load’s progress', async () => {
    const { engine, loader, provider, created } = setUp();
    expect(created()).toBe(0);
    const states: LoaderState[] = [];
    loader.subscribe(() => states.push(loader.state()));
    engine.gate = deferred();
    const other = new InBrowserProvider({ id: 'q', model: DEMO, loader });
    const runs = [events(provider), events(other), events(provider)];
    await expect.poll(() => engine.loads.length).toBe(1);
    engine.gate.resolve();
    for (const run of runs) expect((await run).at(-1)?.type).toBe('done');
    expect((await events(other)).at(-1)?.type).toBe('done');
    expect(engine.loads).toHaveLength(1);
    expect(engine.requests).toHaveLength(4);
    expect(created()).toBe(1);
    expect(states.map((s) => s.status)).toEqual(['loading', 'loading', 'ready']);
    expect(states[1]).toEqual({ status: 'loading', model: DEMO.name, progress: { phase: 'download', file: 'model.safetensors', loadedBytes: 100, totalBytes: 400, fromCache: false } });
  });

  it('a failed load fails the requests waiting for it without loading again; a later request tries again', async () => {
    const { engine, loader, provider } = setUp();
    engine.gate = deferred();
    engine.loadError = new EngineError('network', 'HTTP 404 for model.safetensors', { status: 404 });
    const runs = [events(provider), events(provider), events(provider)];
    await expect.poll(() => engine.loads.length).toBe(1);
    engine.gate.resolve();
    for (const run of runs) expect(errorOf(await run).kind).toBe('bad-request');
    expect(engine.loads).toHaveLength(1);
    expect(loader.state()).toMatchObject({ status: 'failed', model: DEMO.name, message: 'HTTP 404 for model.safetensors' });
    engine.loadError = null;
    expect((await events(provider)).at(-1)?.type).toBe('done');
    expect(engine.loads).toHaveLength(2);
  });

  it('switching models loads the other one, and requests never run on a model they did not ask for', async () => {
    const { engine, loader } = setUp();
    const demo = new InBrowserProvider({ id: 'a', model: DEMO, loader });
    const smol = new InBrowserProvider({ id: 'b', model: SMOL, loader });
    const loadedFor: string[] = [];
    engine.script = () => {
      const source = engine.loads.at(-1)!;
      loadedFor.push(source.kind === 'hub' ? source.repo : source.label);
      return Promise.resolve({ ids: [2], text: 'x', finishReason: 'eos', promptTokens: 1, timings: { prefillMs: 0, decodeMs: 0 } });
    };
    await Promise.all([events(demo), events(smol), events(demo)]);
    expect(loadedFor).toEqual(['fiat-studio/demo', 'HuggingFaceTB/SmolLM2-360M-Instruct', 'fiat-studio/demo']);
    expect(engine.loads).toHaveLength(3);
  });
});

describe('InBrowserProvider.testConnection', () => {
  it('loads the model and reports ok, or the load’s error', async () => {
    const { engine, provider } = setUp();
    expect(await provider.testConnection()).toMatchObject({ ok: true, models: [DEMO.name], modelListed: true });
    expect(engine.loads).toHaveLength(1);
    expect(engine.requests).toHaveLength(0);
    const failing = setUp(SMOL);
    failing.engine.loadError = new EngineError('tokenizer', 'tokenizer.json is missing', { file: 'tokenizer.json' });
    const result = await failing.provider.testConnection();
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'bad-request', message: expect.stringContaining('tokenizer.json is missing') as unknown });
  });
});

describe('identity and the cache key', () => {
  const settings = defaultProviderSettings({ id: 'p', presetId: 'in-browser', baseUrl: 'https://huggingface.co', model: 'fiat-studio/demo' });

  it('names the demo model with its version, without loading anything; the factory builds the provider with the same identity', () => {
    expect(providerIdentity(settings)).toEqual({ endpoint: 'in-browser:', model: `fiat-studio/demo@${DEMO_MODEL_VERSION}` });
    expect(providerIdentity({ ...settings, model: 'Qwen/Qwen2.5-0.5B-Instruct@main' })).toEqual({ endpoint: 'in-browser:', model: 'Qwen/Qwen2.5-0.5B-Instruct@main' });
    const { loader, engine, created } = setUp();
    const built = createReasoningProvider(settings, { apiKey: null, inBrowser: { loader, demoBaseUrl: 'http://127.0.0.1/models/demo/' } });
    expect(built.describe()).toEqual({ kind: 'in-browser', label: 'In-browser (demo model, random weights)', identity: providerIdentity(settings) });
    expect(engine.loads).toHaveLength(0);
    expect(created()).toBe(0);
    expect(() => createReasoningProvider(settings, { apiKey: null })).toThrow(/needs an engine/);
  });

  it('passes the Hub endpoint and its token to the engine for a Hub model', async () => {
    const { loader, engine } = setUp();
    const hub = { ...settings, baseUrl: 'http://127.0.0.1:8788', model: 'test/tiny-llama@v1' };
    const built = createReasoningProvider(hub, { apiKey: null, inBrowser: { loader, demoBaseUrl: '', hubToken: (endpoint) => `token for ${endpoint}` } });
    await built.testConnection();
    expect(engine.loads).toEqual([{ kind: 'hub', repo: 'test/tiny-llama', revision: 'v1', endpoint: 'http://127.0.0.1:8788', token: 'token for http://127.0.0.1:8788' }]);
  });

  it('differs from an OpenAI-compatible server’s key for the same model name, and with the generation settings', async () => {
    const identity = providerIdentity(settings);
    const server = providerIdentity(defaultProviderSettings({ id: 's', presetId: 'custom', baseUrl: 'http://127.0.0.1:8000/v1', model: identity.model }));
    expect(server.model).toBe(identity.model);
    const key = (id: typeof identity, params = request.params) => reasoningCacheKey({ identity: id, params, messages: request.messages });
    expect(await key(identity)).not.toBe(await key(server));
    expect(await key(identity)).not.toBe(await key(identity, { ...request.params, maxTokens: 65 }));
    expect(await key(identity)).not.toBe(await key(identity, { ...request.params, temperature: 0.7 }));
    expect(await key(identity)).not.toBe(await key(providerIdentity({ ...settings, model: 'HuggingFaceTB/SmolLM2-360M-Instruct@main' })));
  });
});
