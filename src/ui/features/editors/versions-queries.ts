import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { InstructionVersion } from '../../../fiat/project/versions.ts';
import type { InstructionRole } from '../../../fiat/template/variables.ts';
import { newId } from '../../lib/ids.ts';
import { repository } from '../../lib/repository.ts';

/** Saved versions are a task's: each task lists and saves its own versions of I_β and I_τ. */
export const versionQueries = {
  all: () => ['versions'] as const,
  list: (taskId: string, role: InstructionRole) =>
    queryOptions({ queryKey: ['versions', taskId, role] as const, queryFn: () => repository.listVersions(taskId, role) }),
};

export function useSaveVersion(taskId: string, role: InstructionRole) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ name, text }: { name: string; text: string }): Promise<InstructionVersion> => {
      const version: InstructionVersion = { id: newId('version-'), taskId, role, name: name.trim(), text, createdAt: Date.now() };
      await repository.saveVersion(version);
      return version;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: versionQueries.list(taskId, role).queryKey }),
  });
}

export function useDeleteVersion(taskId: string, role: InstructionRole) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => repository.deleteVersion(id),
    onSuccess: () => client.invalidateQueries({ queryKey: versionQueries.list(taskId, role).queryKey }),
  });
}
