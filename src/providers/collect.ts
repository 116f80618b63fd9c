import { ProviderError } from './errors.ts';
import type { FinishReason, ReasoningProvider, ReasoningRequest, TokenUsage } from './types.ts';

export interface ReasoningResult {
  text: string;
  finishReason: FinishReason;
  usage: TokenUsage;
  /** From the request to the terminal event. */
  latencyMs: number;
  /** From the request to the first text; null when no text came. */
  firstTokenMs: number | null;
}

export interface CollectOptions {
  signal?: AbortSignal;
  /** Called with each piece of text as it streams in (the preview shows it). */
  onDelta?: (text: string) => void;
  now?: () => number;
}

/**
 * Runs one request to its end and returns the whole reasoning, or throws the stream's
 * ProviderError. A stream that breaks its contract (ends without a terminal event) is a
 * bad-response error, never a silent empty result.
 */
export async function collectReasoning(
  provider: ReasoningProvider,
  request: ReasoningRequest,
  options: CollectOptions = {},
): Promise<ReasoningResult> {
  const now = options.now ?? Date.now;
  const started = now();
  let text = '';
  let firstTokenMs: number | null = null;
  const streamOptions = options.signal ? { signal: options.signal } : {};
  for await (const event of provider.stream(request, streamOptions)) {
    switch (event.type) {
      case 'delta':
        if (firstTokenMs === null) firstTokenMs = now() - started;
        text += event.text;
        options.onDelta?.(event.text);
        break;
      case 'error':
        throw event.error;
      case 'done':
        return { text, finishReason: event.finishReason, usage: event.usage, latencyMs: now() - started, firstTokenMs };
    }
  }
  throw new ProviderError('bad-response', `${provider.describe().label}: the stream ended without a result`);
}
