import { makeScrubber, parseRetryAfter, ProviderError, errorKindForStatus, type ProviderErrorKind, type Scrubber } from './errors.ts';
import { chatCompletionBody, errorBodyMessage, parseCompletion, parseModelList, parseStreamChunk, type WireUsage } from './openai-wire.ts';
import { normaliseBaseUrl, type ProviderSettings } from './settings.ts';
import { readSseEvents, SseIdleTimeoutError } from './sse.ts';
import { estimateUsage } from './token-estimate.ts';
import type {
  ChatMessage,
  ConnectionTestResult,
  FinishReason,
  ProviderDescription,
  ProviderEvent,
  ProviderLogEntry,
  ReasoningProvider,
  ReasoningRequest,
  StreamOptions,
  TokenUsage,
} from './types.ts';

export interface OpenAICompatibleOptions {
  settings: Pick<ProviderSettings, 'id' | 'baseUrl' | 'model' | 'streaming' | 'streamUsage' | 'maxTokensField'>;
  /** The key from the secret store; null or '' sends no Authorization header (local servers). */
  apiKey?: string | null;
  /** Injected for tests and for a worker's fetch; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Clock for Retry-After dates and latency; defaults to Date.now. */
  now?: () => number;
  /** A stream that sends nothing for this long fails as a network error (default 60 s; 0: never). */
  idleTimeoutMs?: number;
  /** Receives what the provider did (requests, statuses, failures), scrubbed of the key. */
  log?: (entry: ProviderLogEntry) => void;
  /** Shown in describe() and error messages; defaults to the base URL's host. */
  label?: string;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const ERROR_BODY_LIMIT = 4096;

/**
 * A provider for any server that speaks OpenAI's chat-completions API: POST {base}/chat/completions
 * (SSE streaming or one JSON response) and GET {base}/models for the connection test.
 * The key goes only in the Authorization header; every message this class produces passes
 * through a scrubber that removes it.
 */
export class OpenAICompatibleProvider implements ReasoningProvider {
  readonly id: string;
  readonly #settings: OpenAICompatibleOptions['settings'];
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #idleTimeoutMs: number;
  readonly #log: (entry: ProviderLogEntry) => void;
  readonly #scrub: Scrubber;
  readonly #label: string;

  constructor(options: OpenAICompatibleOptions) {
    const base = normaliseBaseUrl(options.settings.baseUrl);
    if (!base.ok) throw new ProviderError('bad-request', `Base URL: ${base.message}`);
    this.id = options.settings.id;
    this.#settings = options.settings;
    this.#baseUrl = base.url;
    this.#apiKey = options.apiKey ?? '';
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#now = options.now ?? Date.now;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#scrub = makeScrubber([this.#apiKey]);
    const log = options.log ?? (() => undefined);
    this.#log = (entry) => log({ level: entry.level, message: this.#scrub(entry.message) });
    this.#label = options.label ?? new URL(this.#baseUrl).host;
  }

  describe(): ProviderDescription {
    return {
      kind: 'openai-compatible',
      label: `${this.#label} (${this.#settings.model})`,
      identity: { endpoint: this.#baseUrl, model: this.#settings.model },
    };
  }

  async *stream(request: ReasoningRequest, options: StreamOptions = {}): AsyncGenerator<ProviderEvent> {
    const { signal } = options;
    const streaming = this.#settings.streaming;
    const url = `${this.#baseUrl}/chat/completions`;
    const body = chatCompletionBody(this.#settings, request.messages, request.params, streaming);
    let text = '';
    let finishReason: FinishReason = null;
    let usage: WireUsage | null = null;
    let chunks = 0;
    let responded = false;
    try {
      this.#log({ level: 'info', message: `POST ${url} model=${this.#settings.model} stream=${streaming}` });
      const response = await this.#fetch(url, {
        method: 'POST',
        headers: this.#headers(streaming ? 'text/event-stream' : 'application/json'),
        body: JSON.stringify(body),
        signal: signal ?? null,
      });
      responded = true;
      if (!response.ok) {
        yield { type: 'error', error: await this.#httpError(response) };
        return;
      }
      const contentType = response.headers.get('content-type') ?? '';
      // Some servers ignore `stream: true` and answer with one JSON body: accept that too.
      if (!streaming || !contentType.includes('text/event-stream')) {
        const parsed = parseCompletion(await response.text());
        if (parsed.kind === 'invalid') throw this.#error('bad-response', parsed.message);
        if (parsed.kind === 'error') throw this.#error(parsed.errorKind, parsed.message, { status: parsed.status });
        if (parsed.reasoning !== '') yield { type: 'delta', part: 'reasoning', text: parsed.reasoning };
        if (parsed.content !== '') yield { type: 'delta', part: 'content', text: parsed.content };
        yield { type: 'done', finishReason: parsed.finishReason, usage: this.#usage(request.messages, parsed.reasoning + parsed.content, parsed.usage) };
        return;
      }
      if (!response.body) throw this.#error('bad-response', 'the streaming response has no body');
      let sawDone = false;
      for await (const event of readSseEvents(response.body, { idleTimeoutMs: this.#idleTimeoutMs })) {
        chunks = event.index;
        const chunk = parseStreamChunk(event.data, event.index);
        if (chunk.kind === 'done') {
          sawDone = true;
          break;
        }
        if (chunk.kind === 'invalid') throw this.#error('bad-response', chunk.message);
        if (chunk.kind === 'error') throw this.#error(chunk.errorKind, chunk.message, { status: chunk.status });
        if (chunk.usage) usage = chunk.usage;
        if (chunk.finishReason !== null) finishReason = chunk.finishReason;
        // Text of both parts counts toward the usage estimate when the server sends none.
        if (chunk.reasoning !== '') {
          text += chunk.reasoning;
          yield { type: 'delta', part: 'reasoning', text: chunk.reasoning };
        }
        if (chunk.content !== '') {
          text += chunk.content;
          yield { type: 'delta', part: 'content', text: chunk.content };
        }
      }
      // A stream that ends without [DONE] is complete only if the model said why it stopped;
      // otherwise the connection dropped mid-answer and the text is a fragment.
      if (!sawDone && finishReason === null) {
        throw this.#error('network', `the connection closed before the response was complete (after ${chunks} chunks)`);
      }
      yield { type: 'done', finishReason, usage: this.#usage(request.messages, text, usage) };
    } catch (cause) {
      const error = this.#classify(cause, signal, responded ? chunks : null);
      this.#log({ level: error.kind === 'aborted' ? 'info' : 'warn', message: `${error.kind}: ${error.message}` });
      yield { type: 'error', error };
    }
  }

  async testConnection(options: StreamOptions = {}): Promise<ConnectionTestResult> {
    const started = this.#now();
    const latency = () => this.#now() - started;
    try {
      const response = await this.#fetch(`${this.#baseUrl}/models`, {
        method: 'GET',
        headers: this.#headers('application/json'),
        signal: options.signal ?? null,
      });
      if (response.ok) {
        const models = parseModelList(await response.text());
        const modelListed = models === null || models.length === 0 ? null : models.includes(this.#settings.model);
        return { ok: true, latencyMs: latency(), models, modelListed };
      }
      // Servers without a models endpoint: a one-token completion proves the same thing.
      if (response.status !== 404 && response.status !== 405) {
        return { ok: false, latencyMs: latency(), error: await this.#httpError(response) };
      }
      await response.body?.cancel();
    } catch (cause) {
      return { ok: false, latencyMs: latency(), error: this.#classify(cause, options.signal, null) };
    }
    const probe = { messages: [{ role: 'user' as const, content: 'Say OK.' }], params: { temperature: 0, maxTokens: 1, stop: [] } };
    for await (const event of this.stream(probe, options)) {
      if (event.type === 'error') return { ok: false, latencyMs: latency(), error: event.error };
      if (event.type === 'done') return { ok: true, latencyMs: latency(), models: null, modelListed: null };
    }
    return { ok: false, latencyMs: latency(), error: this.#error('bad-response', 'the test request ended without a result') };
  }

  #headers(accept: string): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: accept };
    if (this.#apiKey !== '') headers.Authorization = `Bearer ${this.#apiKey}`;
    return headers;
  }

  #usage(messages: readonly ChatMessage[], text: string, usage: WireUsage | null): TokenUsage {
    return usage ? { ...usage, estimated: false } : estimateUsage(messages, text);
  }

  #error(kind: ProviderErrorKind, message: string, init: { status?: number | undefined; retryAfterMs?: number | undefined } = {}): ProviderError {
    const clean: { status?: number; retryAfterMs?: number } = {};
    if (init.status !== undefined) clean.status = init.status;
    if (init.retryAfterMs !== undefined) clean.retryAfterMs = init.retryAfterMs;
    return new ProviderError(kind, this.#scrub(`${this.#label}: ${message}`), clean);
  }

  async #httpError(response: Response): Promise<ProviderError> {
    const body = await readLimited(response, ERROR_BODY_LIMIT);
    const kind = errorKindForStatus(response.status);
    const retryAfterMs = retryAfterOf(response.headers, this.#now());
    const serverSays = errorBodyMessage(body);
    const hint =
      kind === 'auth'
        ? ' (check the API key for this provider)'
        : kind === 'bad-request' && response.status === 404
          ? ` (check the base URL and the model id "${this.#settings.model}")`
          : '';
    const statusText = response.statusText ? ` ${response.statusText}` : '';
    return this.#error(kind, `HTTP ${response.status}${statusText}: ${serverSays}${hint}`, { status: response.status, retryAfterMs });
  }

  /** `chunks` is null when no response arrived (the server was not reached). */
  #classify(cause: unknown, signal: AbortSignal | undefined, chunks: number | null): ProviderError {
    if (cause instanceof ProviderError) return cause;
    if (signal?.aborted) return this.#error('aborted', 'the request was cancelled');
    if (cause instanceof SseIdleTimeoutError) return this.#error('network', `${cause.message} (the stream stalled after ${chunks ?? 0} chunks)`);
    const detail = describeCause(cause);
    if (chunks !== null) return this.#error('network', `the connection dropped after ${chunks} chunks: ${detail}`);
    return this.#error(
      'network',
      `could not reach ${this.#baseUrl}: ${detail}. Is the server running, and does it allow requests from this page (CORS)?`,
    );
  }
}

/** Retry-After in ms from `retry-after-ms` (OpenAI) or `retry-after` (seconds or HTTP date). */
function retryAfterOf(headers: Headers, nowMs: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  return parseRetryAfter(headers.get('retry-after'), nowMs);
}

async function readLimited(response: Response, limit: number): Promise<string> {
  try {
    const text = await response.text();
    return text.length > limit ? text.slice(0, limit) : text;
  } catch {
    return '';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    const innerText = inner instanceof Error ? ` (${inner.message})` : '';
    return `${cause.message}${innerText}`;
  }
  return String(cause);
}
