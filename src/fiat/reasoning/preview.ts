import { collectReasoning } from '../../providers/collect.ts';
import type { ChatMessage, GenerationParams, ReasoningProvider } from '../../providers/types.ts';
import type { ReasoningCache, ReasoningCacheEntry } from './cache.ts';
import { promptHash, reasoningCacheKey } from './cache-key.ts';

export interface PreviewOptions {
  provider: ReasoningProvider;
  cache: ReasoningCache;
  messages: ChatMessage[];
  params: GenerationParams;
  signal?: AbortSignal;
  /** Text as it streams in; the preview pane appends it as text (never as HTML). */
  onDelta?: (text: string) => void;
  /** Generate again even when cached (the new reasoning replaces the old entry). */
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
 * The reasoning for one example, as the preview shows it: from the cache when there, otherwise
 * streamed from the provider and then cached, so a later batch does not pay for it again.
 * Throws the provider's ProviderError (typed kind, key scrubbed) when generation fails; nothing
 * partial is cached.
 */
export async function previewReasoning(options: PreviewOptions): Promise<PreviewResult> {
  const identity = options.provider.describe().identity;
  const key = await reasoningCacheKey({ identity, params: options.params, messages: options.messages });
  if (!options.regenerate) {
    const cached = (await options.cache.getMany([key])).get(key);
    if (cached) {
      options.onDelta?.(cached.reasoning);
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
    reasoning: result.text,
    finishReason: result.finishReason,
    usage: result.usage,
    latencyMs: result.latencyMs,
    createdAt: now(),
  };
  await options.cache.put(entry);
  return { entry, fromCache: false, firstTokenMs: result.firstTokenMs };
}
