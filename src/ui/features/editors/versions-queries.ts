import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { InstructionVersion } from '../../../fiat/project/versions.ts';
import type { InstructionRole } from '../../../fiat/template/variables.ts';
import { newId } from '../../lib/ids.ts';
import { repository } from '../../lib/repository.ts';

export const versionQueries = {
  all: () => ['versions'] as const,
  list: (role: InstructionRole) =>
    queryOptions({ queryKey: ['versions', role] as const, queryFn: () => repository.listVersions(role) }),
};

export function useSaveVersion(role: InstructionRole) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ name, text }: { name: string; text: string }): Promise<InstructionVersion> => {
      const version: InstructionVersion = { id: newId('version-'), role, name: name.trim(), text, createdAt: Date.now() };
      await repository.saveVersion(version);
      return version;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: versionQueries.list(role).queryKey }),
  });
}

export function useDeleteVersion(role: InstructionRole) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => repository.deleteVersion(id),
    onSuccess: () => client.invalidateQueries({ queryKey: versionQueries.list(role).queryKey }),
  });
}
