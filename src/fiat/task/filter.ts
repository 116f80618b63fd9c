import type { ExampleFilters } from '../project/project.ts';
import { type Example, labelKeyOf, type TaskSpec } from './task.ts';

/** Examples with their search text precomputed once per task, so filtering is a scan of strings. */
export interface ExampleIndex {
  spec: TaskSpec;
  examples: readonly Example[];
  haystacks: readonly string[];
  labelKeys: readonly string[];
}

const indexes = new WeakMap<readonly Example[], ExampleIndex>();

/** The index of a task's examples, memoised on the examples array (it is never mutated). */
export function indexExamples(spec: TaskSpec, examples: readonly Example[]): ExampleIndex {
  const hit = indexes.get(examples);
  if (hit && hit.spec === spec) return hit;
  const index: ExampleIndex = {
    spec,
    examples,
    haystacks: examples.map((e) =>
      [e.id, e.question, e.passage, e.answer ?? '', ...Object.values(e.extra ?? {})].join('\u0000').toLocaleLowerCase(),
    ),
    labelKeys: examples.map((e) => labelKeyOf(spec, e)),
  };
  indexes.set(examples, index);
  return index;
}

/**
 * The examples that pass the filters: split, language and label ('all' = any) and a search text that
 * every whitespace-separated term must occur in (id, question, passage, answer; case-insensitive).
 */
export function filterExamples(index: ExampleIndex, filters: ExampleFilters): Example[] {
  const terms = filters.search.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const out: Example[] = [];
  index.examples.forEach((e, i) => {
    if (filters.split !== 'all' && e.split !== filters.split) return;
    if (filters.lang !== 'all' && e.lang !== filters.lang) return;
    if (filters.label !== 'all' && index.labelKeys[i] !== filters.label) return;
    if (terms.length > 0) {
      const hay = index.haystacks[i] ?? '';
      if (!terms.every((t) => hay.includes(t))) return;
    }
    out.push(e);
  });
  return out;
}
