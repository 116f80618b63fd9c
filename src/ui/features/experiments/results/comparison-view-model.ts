import { filterComparison, type CompareFilter, type CompareRow } from '../../../../fiat/experiments/compare.ts';

/** The comparison's filters, with their counts and pages (pure: RunComparison.tsx draws them). */

export const COMPARE_FILTERS: readonly { readonly id: CompareFilter; readonly label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'differ', label: 'Outputs differ' },
  { id: 'only-a-right', label: 'Only A right' },
  { id: 'only-b-right', label: 'Only B right' },
];

export type CompareCounts = Readonly<Record<CompareFilter, number>> & { readonly aRight: number; readonly bRight: number };

export function compareCounts(rows: readonly CompareRow[]): CompareCounts {
  const counts = { all: rows.length, differ: 0, 'only-a-right': 0, 'only-b-right': 0, aRight: 0, bRight: 0 };
  for (const r of rows) {
    if (r.differ) counts.differ++;
    if (r.a.right) counts.aRight++;
    if (r.b.right) counts.bRight++;
    if (r.a.right && !r.b.right) counts['only-a-right']++;
    if (r.b.right && !r.a.right) counts['only-b-right']++;
  }
  return counts;
}

export const COMPARE_PAGE_SIZE = 50;

export interface ComparePage {
  readonly rows: readonly CompareRow[];
  /** 0-based, clamped to the pages there are. */
  readonly page: number;
  readonly pages: number;
  /** 1-based position of the page's first row among the filtered ones (0 when none). */
  readonly first: number;
  readonly total: number;
}

/** The filtered rows' page `page` (clamped: a filter that leaves fewer rows shows its last page). */
export function comparePage(rows: readonly CompareRow[], filter: CompareFilter, page: number, size = COMPARE_PAGE_SIZE): ComparePage {
  const shown = filterComparison(rows, filter);
  const pages = Math.max(1, Math.ceil(shown.length / size));
  const at = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  return { rows: shown.slice(at * size, (at + 1) * size), page: at, pages, first: shown.length === 0 ? 0 : at * size + 1, total: shown.length };
}

/**
 * The runs compared before the user picks: FIAT against the run without CoT-augmented tuning (the paper's question:
 * what the reasoning adds), or against another method, else the first two runs. Same seed where it can, so the pair
 * differs by the method only.
 */
export function defaultPair<R extends { readonly spec: { readonly method: string; readonly seed: number } }>(runs: readonly R[]): [R | undefined, R | undefined] {
  const a = runs.find((r) => r.spec.method === 'fiat') ?? runs[0];
  if (!a) return [undefined, undefined];
  const others = runs.filter((r) => r !== a && r.spec.method !== a.spec.method);
  const preferred = ['no-cot', 'fine-tune', 'icl'];
  for (const method of preferred) {
    const same = others.find((r) => r.spec.method === method && r.spec.seed === a.spec.seed) ?? others.find((r) => r.spec.method === method);
    if (same) return [a, same];
  }
  return [a, others[0] ?? runs.find((r) => r !== a)];
}
