import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Exemplar } from '../../../fiat/exemplars/exemplars.ts';
import type { ReasoningCacheEntry } from '../../../fiat/reasoning/cache.ts';
import { reasoningCacheKey } from '../../../fiat/reasoning/cache-key.ts';
import { type PromptKeys, type PromptKeysResult, taskPromptKeys } from '../../../fiat/reasoning/prompt-keys.ts';
import { providerIdentity } from '../../../fiat/reasoning/provider-factory.ts';
import type { Task } from '../../../fiat/task/task.ts';
import type { ProviderSettings } from '../../../providers/settings.ts';
import type { ChatMessage } from '../../../providers/types.ts';
import { reasoningCache } from '../../lib/reasoning.ts';

/**
 * react-query options for the reasoning cache. Everything read from the cache is under
 * ['reasoning'], so one invalidation after a write (preview, batch, import, clear) refreshes it all;
 * the cache keys of a task's prompts are under ['reasoning-keys'] (they depend on the prompts, not
 * on what the cache holds, and are costly: one SHA-256 per example).
 */
export const REASONING_QUERY_ROOT = ['reasoning'] as const;

export interface TaskReasoningInput {
  task: Task;
  beta: string;
  exemplars: readonly Exemplar[];
  settings: ProviderSettings;
}

// null input: the query is disabled (no provider) and never runs.
const inputKey = (input: TaskReasoningInput | null) =>
  input ? ([input.task.id, input.beta, input.exemplars, providerIdentity(input.settings), input.settings.params] as const) : (['none'] as const);
const taskKeysKey = (input: TaskReasoningInput | null) => ['reasoning-keys', ...inputKey(input)] as const;

/**
 * The task keys already computed for exactly this input (task, I_β, exemplars, provider), if any: a
 * batch started from the plan takes them instead of hashing every prompt again.
 */
export function knownTaskKeys(client: QueryClient, input: TaskReasoningInput): PromptKeys | undefined {
  const data = client.getQueryData<PromptKeysResult>(taskKeysKey(input));
  return data?.ok ? data : undefined;
}

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
  /**
   * Cache keys of every example of a task under I_β and the provider, or I_β's template errors. In
   * slices (fiat/reasoning/prompt-keys.ts): typing must not stall meanwhile, and a newer I_β aborts
   * this run (react-query's signal).
   */
  taskKeys: (input: TaskReasoningInput | null) =>
    queryOptions({
      queryKey: taskKeysKey(input),
      queryFn: ({ signal }): Promise<PromptKeysResult> => {
        if (!input) throw new Error('no provider');
        const { task, beta, exemplars, settings } = input;
        return taskPromptKeys({ spec: task.spec, beta, exemplars, examples: task.examples, identity: providerIdentity(settings), params: settings.params, signal });
      },
      enabled: input !== null,
      // One per I_β version: keep only the recent ones.
      gcTime: 30_000,
    }),
  /** The cached entries of a task's examples (by example id), given their keys. */
  taskEntries: (input: TaskReasoningInput | null, keys: PromptKeys | undefined) =>
    queryOptions({
      queryKey: [...REASONING_QUERY_ROOT, 'entries', ...inputKey(input)] as const,
      queryFn: async (): Promise<Map<string, ReasoningCacheEntry>> => {
        // getMany reads in slices: one read of 100,000 keys froze the page for seconds.
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
