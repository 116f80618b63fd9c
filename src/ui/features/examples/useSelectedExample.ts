import { useMemo } from 'react';
import type { Example, Task } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';

const byIdCache = new WeakMap<readonly Example[], Map<string, Example>>();

function byId(examples: readonly Example[]): Map<string, Example> {
  let map = byIdCache.get(examples);
  if (!map) {
    map = new Map(examples.map((e) => [e.id, e]));
    byIdCache.set(examples, map);
  }
  return map;
}

/** The selected example of the task, if the selection is one of its examples. */
export function useSelectedExample(task: Task | undefined): Example | undefined {
  const id = useStudio((s) => s.project.settings.selectedExampleId);
  return useMemo(() => (task && id !== null ? byId(task.examples).get(id) : undefined), [task, id]);
}
