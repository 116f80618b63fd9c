import { setupOf } from '../../fiat/project/project.ts';
import type { TaskSetup } from '../../fiat/project/task-setup.ts';
import { useStudio } from './store.ts';

/**
 * Reads from the chosen task's setup (instructions, exemplars, answer pattern and synonyms), the
 * UI's one way in, so no component digs into the project's per-task record. `select` must return
 * part of the setup (or a primitive), not a new object, like every zustand selector.
 */
export function useTaskSetup<T>(select: (setup: TaskSetup) => T): T {
  return useStudio((s) => select(setupOf(s.project)));
}
