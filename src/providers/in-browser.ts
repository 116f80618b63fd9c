import type { GenerateRequest, GenerateResult } from '../engine/engine.ts';
import { EngineError } from '../engine/errors.ts';
import { ProviderError, type ProviderErrorKind } from './errors.ts';
import { EventChannel } from './event-channel.ts';
import type { InBrowserModelLoader } from './in-browser-loader.ts';
import { IN_BROWSER_ENDPOINT, type InBrowserModel } from './in-browser-model.ts';
import type { ConnectionTestResult, FinishReason, ProviderDescription, ProviderEvent, ReasoningProvider, ReasoningRequest, StreamOptions } from './types.ts';

export interface InBrowserProviderOptions {
  /** The settings profile's id. */
  readonly id: string;
  readonly model: InBrowserModel;
  /** The engine and the model loaded in it, shared by every provider the studio builds (in-browser-loader.ts). */
  readonly loader: InBrowserModelLoader;
  /** Clock for the connection test's latency; defaults to Date.now. */
  readonly now?: () => number;
}

/**
 * θ_β as a small model run by our own engine in this browser (a Web Worker in the studio). The reasoning request's
 * messages go through the model's chat template with the generation prompt; the base model writes (never a tuned
 * adapter); the text streams as `content` deltas; usage is the engine's real token counts.
 *
 * The model loads on first use, once per engine (the loader), so the first request of a session waits for the
 * download or the browser's model cache. Nothing here throws: a failed load or generation is an `error` event with
 * the engine's message, and an aborted one an `aborted` error.
 */
export class InBrowserProvider implements ReasoningProvider {
  readonly id: string;
  readonly #model: InBrowserModel;
  readonly #loader: InBrowserModelLoader;
  readonly #now: () => number;

  constructor(options: InBrowserProviderOptions) {
    this.id = options.id;
    this.#model = options.model;
    this.#loader = options.loader;
    this.#now = options.now ?? Date.now;
  }

  describe(): ProviderDescription {
    return { kind: 'in-browser', label: `In-browser (${this.#model.label})`, identity: { endpoint: IN_BROWSER_ENDPOINT, model: this.#model.name } };
  }

  async *stream(request: ReasoningRequest, options: StreamOptions = {}): AsyncGenerator<ProviderEvent> {
    // A reader that stops early (break, return) cancels the generation as an abort does.
    const controller = new AbortController();
    const abort = () => controller.abort();
    options.signal?.addEventListener('abort', abort);
    if (options.signal?.aborted) controller.abort();
    const channel = new EventChannel<ProviderEvent>();
    let streamed = '';
    let loaded = false;
    const run = this.#loader.use(this.#model, controller.signal, (engine) => {
      loaded = true;
      return engine.generate(generateRequest(request), {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.text === '') return;
          streamed += progress.text;
          channel.push({ type: 'delta', part: 'content', text: progress.text });
        },
      });
    });
    run.then(
      (result) => {
        for (const event of this.#ending(result, streamed)) channel.push(event);
        channel.close();
      },
      (error: unknown) => {
        channel.push({ type: 'error', error: this.#error(error, controller.signal, loaded ? 'generate' : 'load') });
        channel.close();
      },
    );
    try {
      yield* channel;
    } finally {
      options.signal?.removeEventListener('abort', abort);
      controller.abort();
    }
  }

  async testConnection(options: StreamOptions = {}): Promise<ConnectionTestResult> {
    const started = this.#now();
    try {
      await this.#loader.use(this.#model, options.signal, () => Promise.resolve());
      return { ok: true, latencyMs: this.#now() - started, models: [this.#model.name], modelListed: true };
    } catch (error) {
      return { ok: false, latencyMs: this.#now() - started, error: this.#error(error, options.signal, 'load') };
    }
  }

  /** The text the engine held back to the end (an incomplete character, a stop string's prefix), then done. */
  #ending(result: GenerateResult, streamed: string): ProviderEvent[] {
    if (!result.text.startsWith(streamed)) {
      return [{ type: 'error', error: this.#fail('bad-response', 'the engine’s final text differs from the text it streamed') }];
    }
    const rest = result.text.slice(streamed.length);
    const finishReason: FinishReason = result.finishReason === 'length' ? 'length' : 'stop';
    const usage = { promptTokens: result.promptTokens, completionTokens: result.ids.length, estimated: false };
    return [...(rest === '' ? [] : [{ type: 'delta' as const, part: 'content' as const, text: rest }]), { type: 'done', finishReason, usage }];
  }

  #error(error: unknown, signal: AbortSignal | undefined, phase: 'load' | 'generate'): ProviderError {
    if (signal?.aborted || (error instanceof EngineError && error.kind === 'cancelled')) return this.#fail('aborted', 'the generation was cancelled');
    const message = error instanceof Error ? error.message : String(error);
    const prefix = phase === 'load' ? `the model ${this.#model.name} did not load: ` : '';
    if (!(error instanceof EngineError)) return this.#fail('server', `${prefix}${message}`);
    // A lost device takes the loaded model with it: the next attempt loads again.
    if (error.kind === 'device-lost') this.#loader.forget();
    const kind = kindOf(error);
    const hint = kind === 'auth' ? ' (a gated or private repo needs a Hugging Face token for this endpoint)' : '';
    return this.#fail(kind, `${prefix}${message}${hint}`, error.detail.status);
  }

  #fail(kind: ProviderErrorKind, message: string, status?: number): ProviderError {
    return new ProviderError(kind, `${this.describe().label}: ${message}`, status === undefined ? {} : { status });
  }
}

/**
 * Engine errors as provider errors, so the batch runner retries what may pass on another attempt (a dropped download,
 * a lost device, a crashed worker) and stops for what will not (a missing or gated repo, a model that does not fit).
 */
function kindOf(error: EngineError): ProviderErrorKind {
  switch (error.kind) {
    case 'network': {
      const status = error.detail.status;
      if (status === 401 || status === 403) return 'auth';
      return status !== undefined && status >= 400 && status < 500 ? 'bad-request' : 'network';
    }
    case 'device-lost':
    case 'internal':
      return 'server';
    case 'cancelled':
      return 'aborted';
    case 'config':
    case 'weights':
    case 'tokenizer':
    case 'out-of-memory':
    case 'diverged':
    case 'usage':
      return 'bad-request';
  }
}

/** The reasoning request as the engine takes it: chat messages through the template; decoding as the params say. */
function generateRequest(request: ReasoningRequest): GenerateRequest {
  const { params } = request;
  return {
    prompt: { messages: request.messages.map(({ role, content }) => ({ role, content })) },
    maxNewTokens: params.maxTokens,
    temperature: params.temperature,
    ...(params.topP === undefined ? {} : { topP: params.topP }),
    ...(params.seed === undefined ? {} : { seed: params.seed }),
    ...(params.stop.length === 0 ? {} : { stop: params.stop }),
    // θ_β is the model as published: a tuned adapter is θ_τ's, never the large model's.
    adapter: { kind: 'none' },
  };
}
