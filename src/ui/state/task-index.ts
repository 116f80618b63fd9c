import { type Example, languagesOf, type Split, SPLITS } from '../../fiat/task/task.ts';

/** What the UI reads of a task's examples on every render, grouped once. */
export interface TaskIndex {
  /** The examples of each split, in the task's order (a split without examples is absent). */
  bySplit: ReadonlyMap<Split, readonly Example[]>;
  /** The splits that have examples, in SPLITS order. */
  splits: readonly Split[];
  /** The examples' languages, sorted. */
  languages: readonly string[];
}

// Keyed by the examples array, which a loaded task keeps: switching back to a task of 100,000
// examples finds its index instead of scanning them again in that render (several passes of tens
// of ms each made one task of hundreds of ms). Weak: an unloaded task's index goes with it.
const indexes = new WeakMap<readonly Example[], TaskIndex>();

/** The task's examples by split and their languages, computed once per examples array. */
export function taskIndex(examples: readonly Example[]): TaskIndex {
  const known = indexes.get(examples);
  if (known) return known;
  const groups = new Map<Split, Example[]>();
  for (const example of examples) {
    const group = groups.get(example.split);
    if (group) group.push(example);
    else groups.set(example.split, [example]);
  }
  const splits = SPLITS.filter((s) => groups.has(s));
  const index: TaskIndex = { bySplit: new Map(splits.map((s) => [s, groups.get(s) ?? []])), splits, languages: languagesOf(examples) };
  indexes.set(examples, index);
  return index;
}
