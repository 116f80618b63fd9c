import { useMutation, useQueryClient } from '@tanstack/react-query';
import { parseImportFile } from '../../../fiat/dataset/import.ts';
import { checkImportSize } from '../../../fiat/dataset/read.ts';
import type { ParsedFile } from '../../../fiat/dataset/records.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { repository } from '../../lib/repository.ts';
import { useStudio } from '../../state/store.ts';
import { taskQueries } from '../tasks/queries.ts';

export interface ReadFile {
  fileName: string;
  parsed: ParsedFile;
}

/** Read and parse a chosen file. Fails with one message (size, not text, not JSONL/CSV, empty). */
export function useReadDatasetFile() {
  return useMutation({
    mutationKey: ['import', 'read'],
    mutationFn: async (file: File): Promise<ReadFile> => {
      const size = checkImportSize(file.size);
      if (!size.ok) throw new Error(size.error);
      const parsed = parseImportFile(new Uint8Array(await file.arrayBuffer()));
      if (!parsed.ok) throw new Error(parsed.error);
      return { fileName: file.name, parsed: parsed.value };
    },
  });
}

/** Store an imported task in IndexedDB and make it the project's task. */
export function useSaveImportedTask() {
  const client = useQueryClient();
  const setTask = useStudio((s) => s.setTask);
  return useMutation({
    mutationKey: ['import', 'save'],
    mutationFn: async (task: Task) => {
      await repository.saveDataset(task);
      return task;
    },
    onSuccess: async (task) => {
      client.setQueryData(taskQueries.detail(task.id).queryKey, task);
      await client.invalidateQueries({ queryKey: taskQueries.list().queryKey });
      setTask(task.id, task.spec.kind);
    },
  });
}
