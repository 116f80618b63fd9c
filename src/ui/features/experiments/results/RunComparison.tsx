import { useId, useMemo, useState } from 'react';
import { TableScroll } from '../../../components/TableScroll.tsx';
import { compareRuns, type CompareFilter, type CompareRow } from '../../../../fiat/experiments/compare.ts';
import type { FinishedRun } from '../../../../fiat/experiments/queue.ts';
import { finalEvaluation } from '../../../../fiat/experiments/results.ts';
import type { Task } from '../../../../fiat/task/task.ts';
import { COMPARE_FILTERS, compareCounts, comparePage, defaultPair } from './comparison-view-model.ts';
import { RunSelect } from './Pickers.tsx';
import { runLabel } from './result-cells.ts';

/**
 * Two finished runs side by side on the examples both evaluated (their final evaluations): question, gold, both
 * outputs, right or wrong each, whether they differ; filterable, with counts, a page at a time. Model output is
 * rendered as text only (React escapes it), never as HTML.
 */
export function RunComparison({ runs, task }: { runs: readonly FinishedRun[]; task: Task }) {
  const headingId = useId();
  const [aId, setA] = useState<string | null>(null);
  const [bId, setB] = useState<string | null>(null);
  const [filter, setFilter] = useState<CompareFilter>('all');
  const [page, setPage] = useState(0);
  const [firstA, firstB] = defaultPair(runs);
  const a = runs.find((r) => r.item.id === aId) ?? firstA;
  const b = runs.find((r) => r.item.id === bId) ?? firstB;
  const comparison = useMemo(() => {
    const finalA = a && finalEvaluation(a.evaluations);
    const finalB = b && finalEvaluation(b.evaluations);
    return finalA && finalB ? compareRuns(finalA.evaluation, finalB.evaluation, task.spec, task.examples) : null;
  }, [a, b, task]);
  const counts = useMemo(() => compareCounts(comparison?.rows ?? []), [comparison]);
  const shown = useMemo(() => comparePage(comparison?.rows ?? [], filter, page), [comparison, filter, page]);

  if (runs.length < 2) return null;
  const pickRun = (set: (id: string) => void) => (id: string) => {
    set(id);
    setPage(0);
  };
  return (
    <section className="experiment-comparison" aria-labelledby={headingId}>
      <h4 id={headingId}>Compare two runs</h4>
      <div className="row-actions" role="group" aria-label="Runs to compare">
        <RunSelect label="Run A" runs={runs} value={a?.item.id ?? ''} onChange={pickRun(setA)} />
        <RunSelect label="Run B" runs={runs} value={b?.item.id ?? ''} onChange={pickRun(setB)} />
      </div>
      {comparison && (
        <>
          <p className="muted" data-testid="comparison-counts">
            {counts.all} examples compared: A right on {counts.aRight}, B right on {counts.bRight}; outputs differ on {counts.differ}.
            {comparison.onlyInA + comparison.onlyInB > 0 ? ` Not compared: ${comparison.onlyInA} only A evaluated, ${comparison.onlyInB} only B.` : ''}
          </p>
          <div className="row-actions" role="radiogroup" aria-label="Comparison filter">
            {COMPARE_FILTERS.map((f) => (
              <label key={f.id}>
                <input
                  type="radio"
                  name={`${headingId}-filter`}
                  checked={filter === f.id}
                  onChange={() => {
                    setFilter(f.id);
                    setPage(0);
                  }}
                />{' '}
                {f.label} ({counts[f.id]})
              </label>
            ))}
          </div>
          <ComparisonTable rows={shown.rows} caption={`${a ? runLabel(a) : 'A'} (A) against ${b ? runLabel(b) : 'B'} (B)`} />
          {shown.pages > 1 && (
            <div className="row-actions" role="group" aria-label="Comparison pages">
              <button type="button" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
                Previous
              </button>
              <span className="muted">
                {shown.first}–{shown.first + shown.rows.length - 1} of {shown.total} (page {shown.page + 1} of {shown.pages})
              </span>
              <button type="button" disabled={shown.page >= shown.pages - 1} onClick={() => setPage(shown.page + 1)}>
                Next
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

const verdict = (right: boolean) => (right ? '✓ right' : '✗ wrong');

function ComparisonTable({ rows, caption }: { rows: readonly CompareRow[]; caption: string }) {
  if (rows.length === 0) return <p className="muted">No example matches this filter.</p>;
  return (
    <TableScroll label={caption}>
      <table className="metrics-table experiment-comparison-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Example</th>
            <th scope="col">Question</th>
            <th scope="col">Gold</th>
            <th scope="col">A output</th>
            <th scope="col">A</th>
            <th scope="col">B output</th>
            <th scope="col">B</th>
            <th scope="col">Differ</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.exampleId} data-differ={r.differ}>
              <th scope="row">
                {r.exampleId} <span className="muted">{r.lang}</span>
              </th>
              <td>{r.question ?? '(no longer in the task)'}</td>
              <td>{r.gold ?? '(no answer)'}</td>
              <td>{r.a.output ?? '(no answer)'}</td>
              <td data-right={r.a.right}>{verdict(r.a.right)}</td>
              <td>{r.b.output ?? '(no answer)'}</td>
              <td data-right={r.b.right}>{verdict(r.b.right)}</td>
              <td>{r.differ ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
