import type { ChatMessage, GenerationParams, ProviderIdentity } from '../../providers/types.ts';
import type { ReasoningCache, ReasoningCacheEntry } from './cache.ts';
import type { BetaJob } from '../prompt/assemble.ts';
import { isFinished } from './beta-output.ts';
import { reasoningCacheKeyer } from './cache-key.ts';

/**
 * One example whose reasoning is wanted: its id, its rendered I_β prompt, and the prompt's cache key
 * when the caller already has it (the studio's cache-key query); the plan hashes the others.
 */
export interface ReasoningJob extends BetaJob {
  key?: string;
}

/** One distinct prompt of a batch and the examples that share it. */
export interface PlannedPrompt {
  key: string;
  messages: ChatMessage[];
  exampleIds: string[];
}

export interface BatchPlan {
  /** Cache key of each job, in job order. */
  keys: string[];
  /** Prompts whose finished reasoning is in the cache, and their entries. */
  cached: Map<string, ReasoningCacheEntry>;
  /** Distinct prompts to generate, in the order of their first job (the truncated ones included). */
  toGenerate: PlannedPrompt[];
  /** Of `toGenerate`, the prompts whose cached generation is unfinished (cut at max tokens, or empty). */
  truncated: number;
  /** Jobs whose prompt is identical to an earlier job's (they share its one request). */
  duplicates: number;
}

/**
 * Works out, without sending anything, what a batch would do: which examples are cached, which
 * distinct prompts need a request. The UI shows it ("23 cached, 77 to generate") before a run.
 * A job's `key` is trusted: it must be reasoningCacheKey of its messages under this identity and params.
 */
export async function planReasoningBatch(
  identity: ProviderIdentity,
  params: GenerationParams,
  jobs: readonly ReasoningJob[],
  cache: ReasoningCache,
): Promise<BatchPlan> {
  const keyOf = reasoningCacheKeyer(identity, params);
  const keys = await Promise.all(jobs.map((job) => (job.key === undefined ? keyOf(job.messages) : Promise.resolve(job.key))));
  const byKey = new Map<string, PlannedPrompt>();
  jobs.forEach((job, i) => {
    const key = keys[i]!;
    const prompt = byKey.get(key);
    if (prompt) prompt.exampleIds.push(job.exampleId);
    else byKey.set(key, { key, messages: job.messages, exampleIds: [job.exampleId] });
  });
  const stored = await cache.getMany([...byKey.keys()]);
  const cached = new Map([...stored].filter(([, entry]) => isFinished(entry)));
  const toGenerate = [...byKey.values()].filter((p) => !cached.has(p.key));
  return { keys, cached, toGenerate, truncated: stored.size - cached.size, duplicates: jobs.length - byKey.size };
}
