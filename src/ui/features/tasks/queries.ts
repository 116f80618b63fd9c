import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { parseSampleTask } from '../../../fiat/task/load-sample.ts';
import { findSampleTask, SAMPLE_SPLIT_FILES, SAMPLE_TASKS } from '../../../fiat/task/samples.ts';
import type { Task, TaskInfo } from '../../../fiat/task/task.ts';
import { repository } from '../../lib/repository.ts';
import { useStudio } from '../../state/store.ts';

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

async function loadTask(taskId: string): Promise<Task> {
  const sample = findSampleTask(taskId);
  if (sample) {
    const base = `${import.meta.env.BASE_URL}samples/${sample.folder}/`;
    const texts = await Promise.all(SAMPLE_SPLIT_FILES.map(async (file) => ({ file, text: await fetchText(base + file) })));
    return parseSampleTask(sample, texts);
  }
  const task = await repository.getDataset(taskId);
  if (!task) throw new Error(`The dataset "${taskId}" is not in this browser's storage.`);
  return task;
}

/** react-query options for tasks: the list (samples + imported datasets) and one task's data. */
export const taskQueries = {
  list: () =>
    queryOptions({
      queryKey: ['tasks', 'list'] as const,
      queryFn: async (): Promise<TaskInfo[]> => [...SAMPLE_TASKS, ...(await repository.listDatasets())],
    }),
  detail: (taskId: string) => queryOptions({ queryKey: ['tasks', 'detail', taskId] as const, queryFn: () => loadTask(taskId) }),
};

/**
 * The current task's data (examples included). While another task loads, the previous one stays on
 * screen (`isPlaceholderData`), so the layout and the editors are not torn down on a switch.
 */
export function useCurrentTask() {
  const taskId = useStudio((s) => s.project.taskId);
  return useQuery({ ...taskQueries.detail(taskId), placeholderData: keepPreviousData });
}
