import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Exemplar } from '../../../fiat/exemplars/exemplars.ts';
import type { ExampleAgreement } from '../../../fiat/reasoning/agreement.ts';
import type { AnswerSynonyms } from '../../../fiat/reasoning/answer-synonyms.ts';
import type { ReasoningCacheEntry } from '../../../fiat/reasoning/cache.ts';
import { reasoningCacheKey } from '../../../fiat/reasoning/cache-key.ts';
import { type PlanSummary, type PlanSummaryInput, summarisePlanInSlices } from '../../../fiat/reasoning/plan-summary.ts';
import { type PromptKeys, type PromptKeysResult, taskPromptKeys } from '../../../fiat/reasoning/prompt-keys.ts';
import { providerIdentity } from '../../../fiat/reasoning/provider-factory.ts';
import { agreementsForInSlices, type ScopeQuality, scopeQualityInSlices, type TrainingKeep, trainingKeepInSlices } from '../../../fiat/reasoning/quality.ts';
import type { Example, Task } from '../../../fiat/task/task.ts';
import type { ProviderSettings } from '../../../providers/settings.ts';
import type { ChatMessage } from '../../../providers/types.ts';
import { objectKey } from '../../lib/object-key.ts';
import { reasoningCache } from '../../lib/reasoning.ts';
import { runSliced } from '../../lib/run-sliced.ts';

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
  /**
   * Whether each example's reasoning agrees with gold (the example list's badges, the quality section):
   * read in slices, once per task, entries, answer pattern and synonyms for every reader. Keyed by the
   * inputs' identities (objectKey): they are large, and a new object is a new input.
   */
  agreements: (input: { task: Task; entries: Map<string, ReasoningCacheEntry>; pattern: RegExp; synonyms: AnswerSynonyms } | null) =>
    queryOptions({
      queryKey: input
        ? (['reasoning-derived', 'agreements', objectKey(input.task), objectKey(input.entries), input.pattern.source, input.pattern.flags, objectKey(input.synonyms)] as const)
        : (['reasoning-derived', 'agreements', 'none'] as const),
      queryFn: ({ signal }): Promise<Map<string, ExampleAgreement>> => {
        if (!input) throw new Error('no reasoning');
        const { task, entries, pattern, synonyms } = input;
        return runSliced(agreementsForInSlices(task.spec, task.examples, entries, pattern, synonyms), signal);
      },
      enabled: input !== null,
      // Maps are kept as they are (structural sharing would only compare them as objects).
      structuralSharing: false,
      gcTime: 30_000,
    }),
  /** The batch plan of some examples (BatchSection), in slices; keyed like `agreements`. */
  plan: (input: (PlanSummaryInput & { exampleIds: readonly Example[] }) | null) =>
    queryOptions({
      queryKey: input
        ? ([
            'reasoning-derived',
            'plan',
            objectKey(input.exampleIds),
            objectKey(input.keys),
            objectKey(input.promptTokens),
            objectKey(input.entries),
            input.maxTokens,
            input.price ?? null,
          ] as const)
        : (['reasoning-derived', 'plan', 'none'] as const),
      queryFn: ({ signal }): Promise<PlanSummary> => {
        if (!input) throw new Error('no reasoning');
        return runSliced(summarisePlanInSlices(input), signal);
      },
      enabled: input !== null,
      gcTime: 30_000,
    }),
  /** The quality section's figures over the scope's examples and the task's train split, in slices; keyed like `agreements`. */
  quality: (input: { task: Task; examples: readonly Example[]; agreements: Map<string, ExampleAgreement> } | null) =>
    queryOptions({
      queryKey: input
        ? (['reasoning-derived', 'quality', objectKey(input.task), objectKey(input.examples), objectKey(input.agreements)] as const)
        : (['reasoning-derived', 'quality', 'none'] as const),
      queryFn: async ({ signal }): Promise<{ quality: ScopeQuality; keep: TrainingKeep }> => {
        if (!input) throw new Error('no agreements');
        const { task, examples, agreements } = input;
        return {
          quality: await runSliced(scopeQualityInSlices(task.spec, examples, agreements), signal),
          keep: await runSliced(trainingKeepInSlices(task.examples, agreements), signal),
        };
      },
      enabled: input !== null,
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
