import type { ReasoningScope } from '../project/reasoning-settings.ts';
import type { Example } from '../task/task.ts';

/**
 * The examples a batch covers and the quality summary is over: one split, every example, or the
 * ones the example browser's filters show (`filtered`, passed in by the caller).
 */
export function examplesInScope(examples: readonly Example[], scope: ReasoningScope, filtered: readonly Example[]): readonly Example[] {
  if (scope === 'filtered') return filtered;
  if (scope === 'all') return examples;
  return examples.filter((e) => e.split === scope);
}
