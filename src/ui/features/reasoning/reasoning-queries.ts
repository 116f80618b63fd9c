import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Exemplar } from '../../../fiat/exemplars/exemplars.ts';
import type { ReasoningCacheEntry } from '../../../fiat/reasoning/cache.ts';
import { reasoningCacheKey } from '../../../fiat/reasoning/cache-key.ts';
import { reasoningJobs } from '../../../fiat/reasoning/jobs.ts';
import { providerIdentity } from '../../../fiat/reasoning/provider-factory.ts';
import type { Task } from '../../../fiat/task/task.ts';
import type { ProviderSettings } from '../../../providers/settings.ts';
import { estimatePromptTokens } from '../../../providers/token-estimate.ts';
import type { ChatMessage } from '../../../providers/types.ts';
import { reasoningCache } from '../../lib/reasoning.ts';

/**
 * react-query options for the reasoning cache. Everything read from the cache is under
 * ['reasoning'], so one invalidation after a write (preview, batch, import, clear) refreshes it all;
 * the cache keys of a task's prompts are under ['reasoning-keys'] (they depend on the prompts, not
 * on what the cache holds, and are costly: one SHA-256 per example).
 */
export const REASONING_QUERY_ROOT = ['reasoning'] as const;

/** Examples hashed between two yields to the event loop. */
const KEY_SLICE = 200;

export interface TaskKeys {
  /** Cache key of each example's I_β prompt. */
  keys: Map<string, string>;
  /** Estimated tokens of each example's prompt (for the cost estimate; prompts are not kept). */
  promptTokens: Map<string, number>;
}

export interface TaskReasoningInput {
  task: Task;
  beta: string;
  exemplars: readonly Exemplar[];
  settings: ProviderSettings;
}

// null input: the query is disabled (no provider, or I_β has errors) and never runs.
const inputKey = (input: TaskReasoningInput | null) =>
  input ? ([input.task.id, input.beta, input.exemplars, providerIdentity(input.settings), input.settings.params] as const) : (['none'] as const);

export const reasoningQueries = {
  /** The cached reasoning for one prompt, null when there is none (no settings: disabled, never runs). */
  entry: (settings: ProviderSettings | null, messages: ChatMessage[]) => {
    const identity = settings ? providerIdentity(settings) : null;
    return queryOptions({
      queryKey: [...REASONING_QUERY_ROOT, 'entry', identity, settings?.params ?? null, messages] as const,
      queryFn: async (): Promise<ReasoningCacheEntry | null> => {
        if (!identity || !settings) throw new Error('no provider');
        return (await reasoningCache.get(await reasoningCacheKey({ identity, params: settings.params, messages }))) ?? null;
      },
      enabled: identity !== null,
      gcTime: 60_000,
    });
  },
  /** Cache keys of every example of a task under I_β and the provider. */
  taskKeys: (input: TaskReasoningInput | null) =>
    queryOptions({
      queryKey: ['reasoning-keys', ...inputKey(input)] as const,
      queryFn: async ({ signal }): Promise<TaskKeys> => {
        if (!input) throw new Error('no provider');
        const { task, beta, exemplars, settings } = input;
        const identity = providerIdentity(settings);
        const keys = new Map<string, string>();
        const promptTokens = new Map<string, number>();
        // In slices, yielding between them: 10,000 examples take seconds to hash, and typing must not
        // stall meanwhile. A newer I_β aborts this one (react-query's signal).
        for (let start = 0; start < task.examples.length; start += KEY_SLICE) {
          if (start > 0) await new Promise((resolve) => setTimeout(resolve, 0));
          signal.throwIfAborted();
          const jobs = reasoningJobs(task.spec, task.examples.slice(start, start + KEY_SLICE), beta, exemplars);
          const hashed = await Promise.all(jobs.map((job) => reasoningCacheKey({ identity, params: settings.params, messages: job.messages })));
          jobs.forEach((job, i) => {
            keys.set(job.exampleId, hashed[i] ?? '');
            promptTokens.set(job.exampleId, estimatePromptTokens(job.messages));
          });
        }
        return { keys, promptTokens };
      },
      enabled: input !== null,
      // One per I_β version: keep only the recent ones.
      gcTime: 30_000,
    }),
  /** The cached entries of a task's examples (by example id), given their keys. */
  taskEntries: (input: TaskReasoningInput | null, keys: TaskKeys | undefined) =>
    queryOptions({
      queryKey: [...REASONING_QUERY_ROOT, 'entries', ...inputKey(input)] as const,
      queryFn: async (): Promise<Map<string, ReasoningCacheEntry>> => {
        const byKey = await reasoningCache.getMany([...new Set(keys?.keys.values() ?? [])]);
        const out = new Map<string, ReasoningCacheEntry>();
        for (const [exampleId, key] of keys?.keys ?? []) {
          const entry = byKey.get(key);
          if (entry) out.set(exampleId, entry);
        }
        return out;
      },
      enabled: input !== null && keys !== undefined,
      gcTime: 30_000,
    }),
  stats: () => queryOptions({ queryKey: [...REASONING_QUERY_ROOT, 'stats'] as const, queryFn: () => reasoningCache.stats() }),
  /** One page of entries, newest first. */
  list: (offset: number, limit: number) =>
    queryOptions({ queryKey: [...REASONING_QUERY_ROOT, 'list', offset, limit] as const, queryFn: () => reasoningCache.list({ offset, limit }) }),
};

/** After the cache changed: everything read from it is stale. */
export function invalidateReasoning(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: REASONING_QUERY_ROOT });
}
