import { useMemo } from 'react';
import type { ReasoningScope } from '../../../fiat/project/reasoning-settings.ts';
import { type Example, SPLITS, type Task } from '../../../fiat/task/task.ts';
import { useFilteredExamples } from '../../state/filtered-examples.ts';
import { useStudio } from '../../state/store.ts';
import { taskIndex } from '../../state/task-index.ts';

export const SCOPE_LABELS: Record<ReasoningScope, string> = {
  train: 'the train split',
  validation: 'the validation split',
  test: 'the test split',
  all: 'all splits',
  filtered: 'the examples the filters show',
};

export interface ScopeChoice {
  scope: ReasoningScope;
  label: string;
  count: number;
}

/** The project's batch scope and its examples, and the choices this task offers (with counts). */
export function useReasoningScope(task: Task): { scope: ReasoningScope; examples: readonly Example[]; choices: ScopeChoice[] } {
  const scope = useStudio((s) => s.project.reasoning.scope);
  const filtered = useFilteredExamples(task);
  const examples = inScope(task, scope, filtered);
  const choices = useMemo(() => {
    const { bySplit } = taskIndex(task.examples);
    const splits = SPLITS.filter((s) => s === scope || bySplit.has(s));
    return [...splits, 'all' as const, 'filtered' as const].map((s) => ({ scope: s, label: SCOPE_LABELS[s], count: inScope(task, s, filtered).length }));
  }, [task, filtered, scope]);
  return { scope, examples, choices };
}

const NONE: readonly Example[] = [];

/** fiat/reasoning/jobs.ts's examplesInScope, from the task's index: no pass over its examples. */
function inScope(task: Task, scope: ReasoningScope, filtered: readonly Example[]): readonly Example[] {
  if (scope === 'filtered') return filtered;
  if (scope === 'all') return task.examples;
  return taskIndex(task.examples).bySplit.get(scope) ?? NONE;
}
