import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Engine } from '../../../engine/engine.ts';
import { methodById, methodSetup } from '../../../fiat/experiments/methods.ts';
import type { ExperimentResult } from '../../../fiat/experiments/queue.ts';
import type { ExperimentRepository } from '../../../fiat/storage/experiment-repository.ts';
import { type TrainingShapes, webgpuSetup } from '../../../fiat/tuning/training-shapes.ts';
import { experimentRepository } from '../../lib/experiment-repository.ts';
import { tuningEngine } from '../../lib/tuning-engine.ts';

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

/**
 * The tuning engine's memory estimate for training all weights of the loaded model (`model`: its label, which keys the
 * estimate to it) with the Tuning tab's shapes on WebGPU: the setup a full-weight method's run prepares (methods.ts
 * methodSetup; both such methods have the same), which decides whether the queue builder offers them. Kept apart from
 * ['experiments'], which the queue session invalidates at every save: this depends on the model and shapes only.
 */
export function fullWeightMemoryQuery(model: string | null, shapes: TrainingShapes, engine: () => Pick<Engine, 'estimateMemory'> = tuningEngine) {
  return queryOptions({
    queryKey: ['full-weight-memory', model, shapes] as const,
    queryFn: () => engine().estimateMemory(methodSetup(methodById('no-peft'), webgpuSetup(shapes))),
    enabled: model !== null,
    gcTime: 60_000,
  });
}

export function invalidateExperiments(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: ROOT });
}
