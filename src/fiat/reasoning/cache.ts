import type { FinishReason, GenerationParams, TokenUsage } from '../../providers/types.ts';

/**
 * One cached reasoning ŷ_β. It holds no secret by construction (no field for one), and no parsed
 * answer: answers are parsed on read, so changing the answer pattern never costs a regeneration.
 * A generation cut at max tokens or empty is kept too (its finishReason and text say so), but only a
 * finished one counts as cached (beta-output.ts isFinished).
 */
export interface ReasoningCacheEntry {
  /** reasoningCacheKey() of (endpoint, model, params, prompt). */
  key: string;
  /** Normalised base URL (or 'in-browser:...') of the provider that wrote it. */
  endpoint: string;
  model: string;
  params: GenerationParams;
  /** promptHash() of the rendered I_β prompt. */
  promptHash: string;
  /** ŷ_β (beta-output.ts betaReasoningOf): a reasoning model's separate reasoning, then its final answer. */
  reasoning: string;
  /** Where the final answer begins in `reasoning` when the model sent its reasoning apart (see BetaReasoning). */
  answerFrom?: number;
  finishReason: FinishReason;
  usage: TokenUsage;
  latencyMs: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** What the batch runner and the preview need from a cache (IndexedDB in the app, memory in tests). */
export interface ReasoningCache {
  getMany(keys: readonly string[]): Promise<Map<string, ReasoningCacheEntry>>;
  put(entry: ReasoningCacheEntry): Promise<void>;
}

/** An in-memory cache: for tests, and for a session where IndexedDB is unavailable. */
export class MemoryReasoningCache implements ReasoningCache {
  readonly entries = new Map<string, ReasoningCacheEntry>();

  getMany(keys: readonly string[]): Promise<Map<string, ReasoningCacheEntry>> {
    const found = new Map<string, ReasoningCacheEntry>();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry) found.set(key, entry);
    }
    return Promise.resolve(found);
  }

  put(entry: ReasoningCacheEntry): Promise<void> {
    this.entries.set(entry.key, entry);
    return Promise.resolve();
  }
}
