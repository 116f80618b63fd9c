import { useMutation, useQueryClient } from '@tanstack/react-query';
import { buildProjectFile, parseProjectFile, type ProjectExperiments, type ProjectFile, projectFileName, serializeProjectFile } from '../../../fiat/project/project-file.ts';
import { checkImportSize } from '../../../fiat/dataset/read.ts';
import { downloadText } from '../../lib/download.ts';
import { experimentRepository } from '../../lib/experiment-repository.ts';
import { reasoningCache } from '../../lib/reasoning.ts';
import { repository } from '../../lib/repository.ts';
import { tuningRepository } from '../../lib/tuning-repository.ts';
import { studioStore } from '../../state/store.ts';
import { useRunStore } from '../tuning/run-store.ts';
import { invalidateRuns } from '../tuning/runs-queries.ts';
import { invalidateReasoning } from '../reasoning/reasoning-queries.ts';

/** Every experiment with the results its items finished (a result is stored once per key, shared by experiments). */
async function projectExperiments(): Promise<ProjectExperiments> {
  const experiments = await experimentRepository.listAllExperiments();
  const results = await experimentRepository.getResults([...new Set(experiments.flatMap((e) => e.items.map((i) => i.key)))]);
  return { experiments, results: [...results.values()] };
}

/**
 * Export the project (with versions, imported datasets, the reasoning cache, the tuning runs and the experiments with
 * their results) as a JSON file download. No key can be in it: the schema is strict and the key lives in another
 * storage area.
 */
export function useExportProject() {
  return useMutation({
    mutationKey: ['project', 'export'],
    mutationFn: async () => {
      const now = new Date();
      const [{ versions, datasets }, cache, runs, experiments] = await Promise.all([
        repository.exportContents(),
        reasoningCache.exportEntries(),
        tuningRepository.listAllRuns(),
        projectExperiments(),
      ]);
      const file = buildProjectFile(studioStore.getState().project, versions, datasets, cache, now, runs, experiments);
      downloadText(projectFileName(now), serializeProjectFile(file));
    },
  });
}

/** Read and validate a project file; fails with one message and touches nothing. */
export function useReadProjectFile() {
  return useMutation({
    mutationKey: ['project', 'read'],
    mutationFn: async (file: File): Promise<{ fileName: string; file: ProjectFile; repaired: string[]; skipped: string[] }> => {
      const size = checkImportSize(file.size);
      if (!size.ok) throw new Error(size.error);
      const repaired: string[] = [];
      const skipped: string[] = [];
      const parsed = parseProjectFile(await file.text(), repaired, skipped);
      if (!parsed.ok) throw new Error(parsed.error);
      return { fileName: file.name, file: parsed.value, repaired, skipped };
    },
  });
}

/**
 * Replace the project, its versions, imported datasets and tuning runs with a validated file's (the runs and the
 * rest live in two databases: each replacement is all or nothing, the runs first, as the file validated them), and add its
 * reasonings to the cache (shared by all projects, so added to, never replaced; first, because
 * adding is harmless if the replacement then fails). Its experiments and results are merged (by id and by key, in one
 * transaction: the file's replace their namesakes, others stay), like the cache before the replacement.
 */
export function useReplaceProject() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: ['project', 'replace'],
    mutationFn: async (file: ProjectFile) => {
      const cache = await reasoningCache.importEntries(file.reasoningCache);
      if (!cache.ok) throw new Error(cache.message);
      await experimentRepository.mergeExperiments(file.experiments, file.experimentResults);
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
      // The Experiments tab keys its queries under 'experiments'.
      await client.invalidateQueries({ queryKey: ['experiments'] });
      // A reopened run is one of the replaced runs; a run going on in this tab keeps its view (it saves itself anew).
      const shown = useRunStore.getState();
      if (shown.run && !shown.run.active) shown.setRun(null);
    },
  });
}
