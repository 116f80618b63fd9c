import { errorKindForStatus, type ProviderErrorKind } from './errors.ts';
import type { ChatMessage, FinishReason, GenerationParams } from './types.ts';
import type { ProviderSettings } from './settings.ts';

/**
 * The OpenAI chat-completions wire format: request bodies out, chunks and responses in.
 * Pure functions; messages they return are not yet scrubbed (the provider scrubs them).
 */

export type WireSettings = Pick<ProviderSettings, 'model' | 'streamUsage' | 'maxTokensField'>;

export function chatCompletionBody(
  settings: WireSettings,
  messages: readonly ChatMessage[],
  params: GenerationParams,
  stream: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: settings.model,
    messages: messages.map(({ role, content }) => ({ role, content })),
    temperature: params.temperature,
    [settings.maxTokensField]: params.maxTokens,
    stream,
  };
  if (params.stop.length > 0) body.stop = params.stop;
  if (params.topP !== undefined) body.top_p = params.topP;
  if (params.seed !== undefined) body.seed = params.seed;
  if (stream && settings.streamUsage) body.stream_options = { include_usage: true };
  return body;
}

export interface WireUsage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens?: number;
}

/** What one `data:` chunk of a stream carried: the reasoning field's text and the content's. */
export type ChunkContent =
  | { kind: 'done' }
  | { kind: 'chunk'; reasoning: string; content: string; finishReason: FinishReason; usage: WireUsage | null }
  | { kind: 'error'; errorKind: ProviderErrorKind; message: string; status?: number }
  | { kind: 'invalid'; message: string };

/** Parses the data of SSE event number `index` (1-based) of a chat-completions stream. */
export function parseStreamChunk(data: string, index: number): ChunkContent {
  if (data.trim() === '[DONE]') return { kind: 'done' };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { kind: 'invalid', message: `chunk ${index} of the stream is not valid JSON: ${snippet(data)}` };
  }
  if (!isRecord(json)) return { kind: 'invalid', message: `chunk ${index} of the stream is not a JSON object: ${snippet(data)}` };
  const error = inStreamError(json);
  if (error) return error;
  const choice = firstChoice(json.choices);
  const delta = isRecord(choice?.delta) ? choice.delta : {};
  const content = typeof delta.content === 'string' ? delta.content : '';
  const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : null;
  return { kind: 'chunk', reasoning: reasoningOf(delta), content, finishReason, usage: readUsage(json.usage) };
}

export type CompletionContent =
  | { kind: 'completion'; reasoning: string; content: string; finishReason: FinishReason; usage: WireUsage | null }
  | { kind: 'error'; errorKind: ProviderErrorKind; message: string; status?: number }
  | { kind: 'invalid'; message: string };

/** Parses a non-streaming chat-completions response body. */
export function parseCompletion(text: string): CompletionContent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', message: `the response is not valid JSON: ${snippet(text)}` };
  }
  if (!isRecord(json)) return { kind: 'invalid', message: `the response is not a JSON object: ${snippet(text)}` };
  const error = inStreamError(json);
  if (error) return error;
  const choice = firstChoice(json.choices);
  const message = choice?.message;
  // A reasoning model stopped inside its reasoning answers `content: null`: an empty answer, not a broken response.
  if (!choice || !isRecord(message) || !(typeof message.content === 'string' || message.content === null || reasoningOf(message) !== '')) {
    return { kind: 'invalid', message: `the response has no choices[0].message.content: ${snippet(text)}` };
  }
  const finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
  const content = typeof message.content === 'string' ? message.content : '';
  return { kind: 'completion', reasoning: reasoningOf(message), content, finishReason, usage: readUsage(json.usage) };
}

/**
 * A reasoning model's separate reasoning in a delta or message: `reasoning_content` (vLLM's reasoning
 * parsers, DeepSeek) or `reasoning` (Ollama, OpenRouter, newer vLLM). A server moving from one name
 * to the other may send both with the same text: one is read, never both.
 */
function reasoningOf(part: Record<string, unknown>): string {
  if (typeof part.reasoning_content === 'string' && part.reasoning_content !== '') return part.reasoning_content;
  return typeof part.reasoning === 'string' ? part.reasoning : '';
}

/** Model ids of a GET /models response ({data: [{id}]}), or null if the body is not that shape. */
export function parseModelList(text: string): string[] | null {
  try {
    const json: unknown = JSON.parse(text);
    if (!isRecord(json) || !Array.isArray(json.data)) return null;
    return json.data.flatMap((m: unknown) => (isRecord(m) && typeof m.id === 'string' ? [m.id] : []));
  } catch {
    return null;
  }
}

/** The server's own words from an error body ({error: {message}}, {message}, {detail}, or text). */
export function errorBodyMessage(text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    if (isRecord(json)) {
      const err = json.error;
      if (isRecord(err) && typeof err.message === 'string') return err.message;
      if (typeof err === 'string') return err;
      if (typeof json.message === 'string') return json.message;
      if (typeof json.detail === 'string') return json.detail;
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  return snippet(text, 300);
}

type ErrorContent = { kind: 'error'; errorKind: ProviderErrorKind; message: string; status?: number };

function inStreamError(json: Record<string, unknown>): ErrorContent | null {
  const err = json.error;
  if (err === undefined || err === null) return null;
  const message = isRecord(err) && typeof err.message === 'string' ? err.message : JSON.stringify(err);
  const code = isRecord(err) ? (err.code ?? err.status) : undefined;
  const status = typeof code === 'number' ? code : typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : undefined;
  const errorKind = status !== undefined ? errorKindForStatus(status) : 'server';
  return { kind: 'error', errorKind, message: `the server reported an error: ${message}`, ...(status === undefined ? {} : { status }) };
}

function firstChoice(choices: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(choices)) return undefined;
  const first: unknown = choices[0];
  return isRecord(first) ? first : undefined;
}

function readUsage(usage: unknown): WireUsage | null {
  if (!isRecord(usage)) return null;
  const { prompt_tokens: prompt, completion_tokens: completion } = usage;
  if (typeof prompt !== 'number' || typeof completion !== 'number') return null;
  const details = usage.completion_tokens_details;
  const reasoning = isRecord(details) ? details.reasoning_tokens : undefined;
  return { promptTokens: prompt, completionTokens: completion, ...(typeof reasoning === 'number' ? { reasoningTokens: reasoning } : {}) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function snippet(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}
