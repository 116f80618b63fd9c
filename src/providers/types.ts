import type { ProviderError } from './errors.ts';

/**
 * The large model θ_β as the rest of the app sees it. An OpenAI-compatible endpoint implements it,
 * and so does the in-browser provider (a small model run by our own engine, in-browser.ts), so
 * callers (preview, batch runner, connection test) never care which one they hold.
 */
export interface ReasoningProvider {
  /** Stable id of this provider instance (a settings profile id, or 'in-browser:<model>'). */
  readonly id: string;
  /** What the provider is, without secrets; `identity` is what the reasoning cache key uses. */
  describe(): ProviderDescription;
  /**
   * Generates the reasoning for one rendered prompt.
   *
   * Contract: yields zero or more `delta` events, then exactly one terminal event, `done` or
   * `error`, and nothing after it. It does not throw for anything the server or the network does
   * (those are `error` events with a typed kind); aborting `signal` ends it with an `aborted` error.
   */
  stream(request: ReasoningRequest, options?: StreamOptions): AsyncIterable<ProviderEvent>;
  /** Checks that the endpoint answers and the key is accepted; never throws. */
  testConnection(options?: StreamOptions): Promise<ConnectionTestResult>;
}

export interface StreamOptions {
  signal?: AbortSignal;
}

/** What identifies the model that wrote a reasoning: the cache key is built from it. */
export interface ProviderIdentity {
  /** Normalised base URL for an HTTP endpoint, or e.g. 'in-browser:' for the local engine. */
  endpoint: string;
  model: string;
}

export interface ProviderDescription {
  kind: 'openai-compatible' | 'in-browser';
  /** Shown to the user, e.g. 'Ollama (llama3.1:8b)'. */
  label: string;
  identity: ProviderIdentity;
}

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/**
 * Decoding parameters of one request. They are part of the cache key: a reasoning written at
 * temperature 0.7 is not the one written at temperature 0.
 */
export interface GenerationParams {
  /** 0 by default: the paper's ŷ_β = argmax P(y | x; θ_β, I_β). */
  temperature: number;
  maxTokens: number;
  /** Stop sequences (OpenAI allows at most 4). */
  stop: string[];
  topP?: number;
  seed?: number;
}

export const DEFAULT_GENERATION_PARAMS: Readonly<GenerationParams> = Object.freeze({
  temperature: 0,
  maxTokens: 512,
  stop: [],
});

/** One rendered I_β prompt and how to decode it. */
export interface ReasoningRequest {
  messages: ChatMessage[];
  params: GenerationParams;
}

export interface TokenUsage {
  promptTokens: number;
  /** Every generated token, the reasoning's included. */
  completionTokens: number;
  /**
   * Of `completionTokens`, those of a reasoning model's separate reasoning, when the server reports them
   * (`usage.completion_tokens_details.reasoning_tokens`); absent otherwise (and in entries cached before).
   */
  reasoningTokens?: number;
  /** True when the server sent no usage and the counts are estimates (about 4 characters a token). */
  estimated: boolean;
}

/** 'stop' | 'length' | 'content_filter' from OpenAI, or whatever else a server sends; null if none. */
export type FinishReason = string | null;

/**
 * Which part of a reply a piece of text is. `reasoning`: the chain of thought a reasoning model sends
 * apart from its answer (`reasoning_content` or `reasoning` on the wire); `content`: the message
 * content, which is the final answer for such a model and the whole reply (reasoning included) for
 * any other.
 */
export type ReplyPart = 'reasoning' | 'content';

export type ProviderEvent =
  | { type: 'delta'; part: ReplyPart; text: string }
  | { type: 'done'; finishReason: FinishReason; usage: TokenUsage }
  | { type: 'error'; error: ProviderError };

/** One line of what a provider did (request, status, failure), for the console; already scrubbed of the key. */
export interface ProviderLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
}

export type ConnectionTestResult =
  | {
      ok: true;
      latencyMs: number;
      /** Model ids the server lists, when it has a models endpoint. */
      models: string[] | null;
      /** Whether the configured model is among them (null when the server lists none). */
      modelListed: boolean | null;
    }
  | { ok: false; latencyMs: number; error: ProviderError };
