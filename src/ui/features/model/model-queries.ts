import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { ModelSource, SourceInspection } from '../../../engine/engine.ts';
import { webgpuSetup, type TrainingShapes } from '../../../fiat/tuning/training-shapes.ts';
import { tuningEngine } from '../../lib/tuning-engine.ts';
import { type CachedModel, withoutCachedFiles } from './cache-groups.ts';
import { sourceKey } from './model-source.ts';

/** react-query options for what the model panel asks the tuning engine: a source's files and sizes (inspect), the
 * memory a run's shapes would take for its config, and the model cache, all under ['small-model']. */
const ROOT = ['small-model'] as const;

export const modelQueries = {
  /** The source's files, sizes (and which are cached) and config.json, before anything large is downloaded. */
  inspect: (source: ModelSource | null) =>
    queryOptions({
      queryKey: [...ROOT, 'inspect', ...(source ? sourceKey(source) : ['none'])] as const,
      queryFn: ({ signal }) => {
        if (!source) throw new Error('no source');
        return tuningEngine().inspect(source, { signal });
      },
      enabled: source !== null,
      gcTime: 60_000,
    }),
  /** The run's GPU memory on this device for the inspected config (no limits where there is no WebGPU). */
  memory: (source: ModelSource | null, config: unknown, shapes: TrainingShapes) =>
    queryOptions({
      queryKey: [...ROOT, 'memory', ...(source ? sourceKey(source) : ['none']), shapes] as const,
      queryFn: () => tuningEngine().estimateMemory(webgpuSetup(shapes), { config }),
      enabled: source !== null && config !== undefined,
      gcTime: 60_000,
    }),
  /** Model files in the browser's cache (Hub sources). */
  cache: () => queryOptions({ queryKey: [...ROOT, 'cache'] as const, queryFn: () => tuningEngine().listCache() }),
};

/**
 * After a load, a deletion or a token change: what is cached (so each inspection's sizes to download) or what a
 * request may read changed. Memory estimates depend on the config and shapes only and are kept.
 */
export async function invalidateSmallModel(client: QueryClient): Promise<void> {
  await Promise.all([client.invalidateQueries({ queryKey: [...ROOT, 'inspect'] }), client.invalidateQueries({ queryKey: [...ROOT, 'cache'] })]);
}

/**
 * After a cached model is deleted: the list again, and its inspections marked uncached in place. Inspecting again
 * would cache its config.json anew (the Hub source caches what it reads), so the deleted model would be back.
 */
export async function forgetCachedModel(client: QueryClient, model: CachedModel): Promise<void> {
  client.setQueriesData<SourceInspection>({ queryKey: [...ROOT, 'inspect', 'hub', model.endpoint, model.repo, model.revision] }, (data) => data && withoutCachedFiles(data));
  await client.invalidateQueries({ queryKey: [...ROOT, 'cache'] });
}
