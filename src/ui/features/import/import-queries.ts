import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { type Converted, type ConvertOptions, convertRecordsInSlices } from '../../../fiat/dataset/convert.ts';
import { parseImportFileInSlices } from '../../../fiat/dataset/import.ts';
import { checkImportSize } from '../../../fiat/dataset/read.ts';
import type { ParsedFile } from '../../../fiat/dataset/records.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { newId } from '../../lib/ids.ts';
import { repository } from '../../lib/repository.ts';
import { runSliced } from '../../lib/run-sliced.ts';
import { useStudio } from '../../state/store.ts';
import { taskQueries } from '../tasks/queries.ts';

export interface ReadFile {
  /** Names this reading of the file in query keys (the rows themselves are too many to hash). */
  id: string;
  fileName: string;
  parsed: ParsedFile;
}

/**
 * Read and parse a chosen file, JSON Lines in slices with turns for the page between them. Fails
 * with one message (size, not text, not JSONL/CSV, empty).
 */
export function useReadDatasetFile() {
  return useMutation({
    mutationKey: ['import', 'read'],
    mutationFn: async (file: File): Promise<ReadFile> => {
      const size = checkImportSize(file.size);
      if (!size.ok) throw new Error(size.error);
      const parsed = await runSliced(parseImportFileInSlices(new Uint8Array(await file.arrayBuffer())));
      if (!parsed.ok) throw new Error(parsed.error);
      return { id: newId('file:'), fileName: file.name, parsed: parsed.value };
    },
  });
}

export const importQueries = {
  /**
   * The file's rows converted with a mapping: once per mapping change (never per keystroke in a
   * name, verbalizer or text field, which the conversion does not read), in slices with turns for
   * the page between them. A newer mapping aborts this one (react-query's signal); gcTime 0 drops
   * the examples of a mapping no longer shown.
   */
  conversion: (file: ReadFile, options: ConvertOptions) =>
    queryOptions({
      queryKey: ['import', 'conversion', file.id, options] as const,
      queryFn: ({ signal }): Promise<Converted> => runSliced(convertRecordsInSlices(file.parsed, options), signal),
      staleTime: Number.POSITIVE_INFINITY,
      gcTime: 0,
      retry: false,
    }),
};

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
