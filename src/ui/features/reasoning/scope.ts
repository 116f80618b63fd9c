import { useMemo } from 'react';
import { examplesInScope } from '../../../fiat/reasoning/jobs.ts';
import type { ReasoningScope } from '../../../fiat/project/reasoning-settings.ts';
import { type Example, SPLITS, type Task } from '../../../fiat/task/task.ts';
import { useFilteredExamples } from '../../state/filtered-examples.ts';
import { useStudio } from '../../state/store.ts';

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
  const examples = useMemo(() => examplesInScope(task.examples, scope, filtered), [task.examples, scope, filtered]);
  const choices = useMemo(() => {
    const splits = SPLITS.filter((s) => s === scope || task.examples.some((e) => e.split === s));
    return [...splits, 'all' as const, 'filtered' as const].map((s) => ({
      scope: s,
      label: SCOPE_LABELS[s],
      count: examplesInScope(task.examples, s, filtered).length,
    }));
  }, [task.examples, filtered, scope]);
  return { scope, examples, choices };
}
