import { useMemo } from 'react';
import { filterExamples, indexExamples } from '../../../fiat/task/filter.ts';
import type { Example, Task } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';

/** The task's examples that pass the browser's filters (recomputed only when task or filters change). */
export function useFilteredExamples(task: Task): Example[] {
  const filters = useStudio((s) => s.project.settings.filters);
  return useMemo(() => filterExamples(indexExamples(task.spec, task.examples), filters), [task, filters]);
}
