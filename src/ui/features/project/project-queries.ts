import { useMutation, useQueryClient } from '@tanstack/react-query';
import { buildProjectFile, parseProjectFile, type ProjectFile, projectFileName, serializeProjectFile } from '../../../fiat/project/project-file.ts';
import { checkImportSize } from '../../../fiat/dataset/read.ts';
import { downloadText } from '../../lib/download.ts';
import { reasoningCache } from '../../lib/reasoning.ts';
import { repository } from '../../lib/repository.ts';
import { tuningRepository } from '../../lib/tuning-repository.ts';
import { studioStore } from '../../state/store.ts';
import { useRunStore } from '../tuning/run-store.ts';
import { invalidateRuns } from '../tuning/runs-queries.ts';
import { invalidateReasoning } from '../reasoning/reasoning-queries.ts';

/**
 * Export the project (with versions, imported datasets, the reasoning cache and the tuning runs) as a JSON file
 * download. No key can be in it: the schema is strict and the key lives in another storage area.
 */
export function useExportProject() {
  return useMutation({
    mutationKey: ['project', 'export'],
    mutationFn: async () => {
      const now = new Date();
      const [{ versions, datasets }, cache, runs] = await Promise.all([repository.exportContents(), reasoningCache.exportEntries(), tuningRepository.listAllRuns()]);
      const file = buildProjectFile(studioStore.getState().project, versions, datasets, cache, now, runs);
      downloadText(projectFileName(now), serializeProjectFile(file));
    },
  });
}

/** Read and validate a project file; fails with one message and touches nothing. */
export function useReadProjectFile() {
  return useMutation({
    mutationKey: ['project', 'read'],
    mutationFn: async (file: File): Promise<{ fileName: string; file: ProjectFile; repaired: string[] }> => {
      const size = checkImportSize(file.size);
      if (!size.ok) throw new Error(size.error);
      const repaired: string[] = [];
      const parsed = parseProjectFile(await file.text(), repaired);
      if (!parsed.ok) throw new Error(parsed.error);
      return { fileName: file.name, file: parsed.value, repaired };
    },
  });
}

/**
 * Replace the project, its versions, imported datasets and tuning runs with a validated file's (the runs and the
 * rest live in two databases: each replacement is all or nothing, the runs first, as the file validated them), and add its
 * reasonings to the cache (shared by all projects, so added to, never replaced; first, because
 * adding is harmless if the replacement then fails).
 */
export function useReplaceProject() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: ['project', 'replace'],
    mutationFn: async (file: ProjectFile) => {
      const cache = await reasoningCache.importEntries(file.reasoningCache);
      if (!cache.ok) throw new Error(cache.message);
      await tuningRepository.replaceRuns(file.runs);
      await repository.replaceAll(file);
      return file;
    },
    onSuccess: async (file) => {
      studioStore.getState().replaceProject(file.project);
      await client.invalidateQueries({ queryKey: ['tasks'] });
      await client.invalidateQueries({ queryKey: ['versions'] });
      await invalidateReasoning(client);
      await invalidateRuns(client);
      // A reopened run is one of the replaced runs; a run going on in this tab keeps its view (it saves itself anew).
      const shown = useRunStore.getState();
      if (shown.run && !shown.run.active) shown.setRun(null);
    },
  });
}
