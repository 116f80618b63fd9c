import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { ExperimentResult } from '../../../fiat/experiments/queue.ts';
import type { ExperimentRepository } from '../../../fiat/storage/experiment-repository.ts';
import { experimentRepository } from '../../lib/experiment-repository.ts';

/**
 * react-query options for the experiments' queues and results, all under ['experiments']: the queue session
 * (queue-session.ts) invalidates them whenever it saves a queue or a result, so the lists and tables follow a
 * running queue.
 */
const ROOT = ['experiments'] as const;

export const experimentQueries = {
  /** A task's experiments, newest first. */
  list: (taskId: string, repository: ExperimentRepository = experimentRepository) =>
    queryOptions({ queryKey: [...ROOT, 'list', taskId] as const, queryFn: () => repository.listExperiments(taskId) }),
  /** The stored results of these keys (those that have one), by key. */
  results: (keys: readonly string[], repository: ExperimentRepository = experimentRepository) =>
    queryOptions({
      queryKey: [...ROOT, 'results', [...new Set(keys)].sort()] as const,
      queryFn: (): Promise<Map<string, ExperimentResult>> => repository.getResults(keys),
      // A Map is kept as it is (structural sharing would only compare it as an object).
      structuralSharing: false,
    }),
};

export function invalidateExperiments(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: ROOT });
}
