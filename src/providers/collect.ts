import { ProviderError } from './errors.ts';
import type { FinishReason, ReasoningProvider, ReasoningRequest, ReplyPart, TokenUsage } from './types.ts';

/** One whole reply, its two parts apart (fiat/reasoning/beta-output.ts makes ŷ_β from them). */
export interface ReasoningResult {
  /** A reasoning model's separate reasoning; '' for a model that reasons in its content. */
  reasoning: string;
  /** The message content: the final answer of a reasoning model, the whole reply of any other. */
  content: string;
  finishReason: FinishReason;
  usage: TokenUsage;
  /** From the request to the terminal event. */
  latencyMs: number;
  /** From the request to the first text of either part; null when no text came. */
  firstTokenMs: number | null;
}

export interface CollectOptions {
  signal?: AbortSignal;
  /** Called with each piece of text as it streams in, and its part (the preview shows both). */
  onDelta?: (part: ReplyPart, text: string) => void;
  now?: () => number;
}

/**
 * Runs one request to its end and returns the whole reply, or throws the stream's
 * ProviderError. A stream that breaks its contract (ends without a terminal event) is a
 * bad-response error, never a silent empty result. A reply cut at max tokens, or an empty one, is a
 * result like any other (its finish reason says so): the caller decides what it is worth.
 */
export async function collectReasoning(
  provider: ReasoningProvider,
  request: ReasoningRequest,
  options: CollectOptions = {},
): Promise<ReasoningResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const text: Record<ReplyPart, string> = { reasoning: '', content: '' };
  let firstTokenMs: number | null = null;
  const streamOptions = options.signal ? { signal: options.signal } : {};
  for await (const event of provider.stream(request, streamOptions)) {
    switch (event.type) {
      case 'delta':
        if (firstTokenMs === null) firstTokenMs = now() - started;
        text[event.part] += event.text;
        options.onDelta?.(event.part, event.text);
        break;
      case 'error':
        throw event.error;
      case 'done':
        return { ...text, finishReason: event.finishReason, usage: event.usage, latencyMs: now() - started, firstTokenMs };
    }
  }
  throw new ProviderError('bad-response', `${provider.describe().label}: the stream ended without a result`);
}
