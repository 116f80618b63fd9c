import type { ExampleFilters } from '../../fiat/project/project.ts';
import { filterExamples, indexExamples } from '../../fiat/task/filter.ts';
import type { Example, Task } from '../../fiat/task/task.ts';
import { memoizeLast } from '../lib/memoize-last.ts';
import { useStudio } from './store.ts';

// Shared by every reader (the example browser, and the batch and quality sections' scopes): one scan per
// task and filters, and the same array for all of them. It lives below the features because both read it,
// and the examples feature imports the reasoning feature (its badges), so not the other way round
// (STYLE.md practice 12).
const filtered = memoizeLast((task: Task, filters: ExampleFilters) => filterExamples(indexExamples(task.spec, task.examples), filters));

/** The task's examples that pass the browser's filters (recomputed only when task or filters change). */
export function useFilteredExamples(task: Task): Example[] {
  const filters = useStudio((s) => s.project.settings.filters);
  return filtered(task, filters);
}
