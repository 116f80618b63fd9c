import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { StoredRun } from '../../../fiat/storage/tuning-repository.ts';
import { tuningRepository } from '../../lib/tuning-repository.ts';
import { useRunStore } from './run-store.ts';

/**
 * The stored tuning runs as queries. Whoever saves a run (the run launcher at its steps, a project import) calls
 * invalidateRuns so the runs list shows it.
 */
const ROOT = ['runs'] as const;

export const runQueries = {
  /** A task's runs, newest first. */
  list: (taskId: string) => queryOptions({ queryKey: [...ROOT, 'list', taskId] as const, queryFn: () => tuningRepository.listRuns(taskId) }),
};

export async function invalidateRuns(client: QueryClient): Promise<void> {
  await client.invalidateQueries({ queryKey: ROOT });
}

/** Deletes a run with its checkpoints; a reopened view of it closes. */
export function useDeleteRun() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: [...ROOT, 'delete'],
    mutationFn: (run: StoredRun) => tuningRepository.deleteRun(run.id),
    onSuccess: async (_, { id: runId }) => {
      const shown = useRunStore.getState();
      if (shown.run?.runId === runId && !shown.run.active) shown.setRun(null);
      await invalidateRuns(client);
    },
  });
}
