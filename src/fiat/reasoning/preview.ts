import { collectReasoning } from '../../providers/collect.ts';
import type { ChatMessage, GenerationParams, ReasoningProvider, ReplyPart } from '../../providers/types.ts';
import { betaParts, betaReasoningOf, isFinished } from './beta-output.ts';
import type { ReasoningCache, ReasoningCacheEntry } from './cache.ts';
import { promptHash, reasoningCacheKey } from './cache-key.ts';

export interface PreviewOptions {
  provider: ReasoningProvider;
  cache: ReasoningCache;
  messages: ChatMessage[];
  params: GenerationParams;
  signal?: AbortSignal;
  /** Text as it streams in, and its part; the preview pane appends it as text (never as HTML). */
  onDelta?: (part: ReplyPart, text: string) => void;
  /** Generate again even when a finished one is cached (the new reasoning replaces it, unless it is unfinished). */
  regenerate?: boolean;
  now?: () => number;
}

export interface PreviewResult {
  entry: ReasoningCacheEntry;
  /** True when the reasoning came from the cache and nothing was sent. */
  fromCache: boolean;
  /** Time to the first streamed text (null when cached or nothing streamed). */
  firstTokenMs: number | null;
}

/**
 * The reasoning for one example, as the preview shows it: from the cache when a finished one is
 * there, otherwise streamed from the provider and then cached, so a later batch does not pay for it
 * again. A generation that stopped at max tokens or is empty is returned and cached as it is (its
 * finish reason and text say so; beta-output.ts isFinished), but never replaces a finished entry.
 * Throws the provider's ProviderError (typed kind, key scrubbed) when generation fails; a stream
 * that broke or was stopped is not cached.
 */
export async function previewReasoning(options: PreviewOptions): Promise<PreviewResult> {
  const identity = options.provider.describe().identity;
  const key = await reasoningCacheKey({ identity, params: options.params, messages: options.messages });
  if (!options.regenerate) {
    const cached = (await options.cache.getMany([key])).get(key);
    if (cached && isFinished(cached)) {
      const { thought, answer } = betaParts(cached);
      if (thought !== '') options.onDelta?.('reasoning', thought);
      options.onDelta?.('content', answer);
      return { entry: cached, fromCache: true, firstTokenMs: null };
    }
  }
  const now = options.now ?? Date.now;
  const result = await collectReasoning(
    options.provider,
    { messages: options.messages, params: options.params },
    { ...(options.signal ? { signal: options.signal } : {}), ...(options.onDelta ? { onDelta: options.onDelta } : {}), now },
  );
  const entry: ReasoningCacheEntry = {
    key,
    endpoint: identity.endpoint,
    model: identity.model,
    params: options.params,
    promptHash: await promptHash(options.messages),
    ...betaReasoningOf(result),
    finishReason: result.finishReason,
    usage: result.usage,
    latencyMs: result.latencyMs,
    createdAt: now(),
  };
  // A truncated or empty generation never replaces a finished one (a regeneration at temperature > 0 can stop short).
  const existing = isFinished(entry) ? undefined : (await options.cache.getMany([key])).get(key);
  if (!existing || !isFinished(existing)) await options.cache.put(entry);
  return { entry, fromCache: false, firstTokenMs: result.firstTokenMs };
}
