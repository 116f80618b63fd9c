import { useQuery } from '@tanstack/react-query';
import { METHODS } from '../../../fiat/experiments/methods.ts';
import { experimentTagOf } from '../../lib/experiment-run-tag.ts';
import type { MetricsReport } from '../../../fiat/metrics/report.ts';
import type { StoredRun } from '../../../fiat/storage/tuning-repository.ts';
import { evaluationTitle, headlineEvaluation } from '../../../fiat/tuning/evaluation-record.ts';
import { ConfirmDelete, useDeleteQuestion } from '../../components/ConfirmDelete.tsx';
import { formatMetric, METRIC_TITLES } from './metric-format.ts';
import { allWeightsOf, liveRunOf, useRunStore } from './run-store.ts';
import { runQueries, useDeleteRun } from './runs-queries.ts';

/**
 * The task's tuning runs as saved (newest first): status, model, steps and the latest evaluation's overall metrics.
 * Reopen shows a run in the run views (its curves, metrics and predictions); Delete asks first.
 */
export function RunsList({ taskId }: { taskId: string }) {
  const runs = useQuery(runQueries.list(taskId));
  const shownId = useRunStore((s) => s.run?.runId ?? null);
  const setRun = useRunStore((s) => s.setRun);
  const deleting = useDeleteQuestion<StoredRun>();
  const remove = useDeleteRun();

  return (
    <section className="reasoning-section runs-list" aria-labelledby="runs-list-heading">
      <h3 id="runs-list-heading">Runs</h3>
      {runs.isPending && <p className="muted">Reading the saved runs…</p>}
      {runs.error && <p role="alert">Could not read the saved runs: {runs.error.message}</p>}
      {runs.data?.length === 0 && <p className="empty">No run of this task yet.</p>}
      {runs.data && runs.data.length > 0 && (
        <div className="table-scroll">
          <table className="runs-table" aria-label="Saved runs">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Model</th>
                <th scope="col">Latest metrics (overall)</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((run) => (
                <tr key={run.id} aria-current={run.id === shownId ? 'true' : undefined}>
                  <td>{new Date(run.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}</td>
                  <td>{run.kind === 'evaluations' ? 'no run: base model and imported adapters' : `${run.status} · step ${run.step} of ${run.totalSteps}`}</td>
                  <td>
                    {run.model.label}
                    {experimentLine(run)}
                  </td>
                  <td>{latestMetrics(run)}</td>
                  <td className="row-actions">
                    <button type="button" aria-label={`Reopen run ${run.id}`} onClick={() => setRun(liveRunOf(run))}>
                      Reopen
                    </button>
                    <button type="button" aria-label={`Delete run ${run.id}…`} onClick={() => deleting.ask(run)}>
                      Delete…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDelete question={deleting} remove={remove} title="Delete a run" confirmLabel="Delete run">
        {(run) => (
          <p>
            Delete the run of {run.model.label} started {new Date(run.createdAt).toLocaleString()}, with its curves, metrics, predictions and checkpoints?
            Export the project first if you want to keep it.
          </p>
        )}
      </ConfirmDelete>
    </section>
  );
}

/**
 * Which experiment's method a run computed (its queue runs it), as a line under the model, saying when it trained all
 * weights (its export is then the tuned model, not an adapter); nothing for the tab's own.
 */
function experimentLine(run: StoredRun) {
  const tag = experimentTagOf(run.settings);
  if (!tag) return null;
  const name = METHODS.find((m) => m.id === tag.method)?.paperName ?? tag.method;
  return (
    <small className="muted">
      {' '}
      · {name}
      {allWeightsOf(run.settings) ? ', all weights trained' : ''}, run by an experiment (Experiments tab)
    </small>
  );
}

/** The headline evaluation's overall metrics (evaluation-record.ts), as "Accuracy 75.0 · AUC-PR 80.2"; "—" before any. */
function latestMetrics(run: StoredRun): string {
  const latest = headlineEvaluation(run);
  const report = latest ? reportOf(latest.result) : null;
  if (!latest || !report) return '—';
  const values = report.metrics.map((m) => `${METRIC_TITLES[m]} ${formatMetric(report.overall.values[m])}`).join(' · ');
  return `${values} (${evaluationTitle(latest).option})`;
}

/** An evaluation's report as stored data: the studio wrote it, but a row is data, so its shape is checked before use. */
function reportOf(result: unknown): MetricsReport | null {
  if (typeof result !== 'object' || result === null || !('report' in result)) return null;
  const { report } = result;
  if (typeof report !== 'object' || report === null) return null;
  const r = report as Partial<MetricsReport>;
  return Array.isArray(r.metrics) && typeof r.overall === 'object' && r.overall !== null ? (report as MetricsReport) : null;
}
