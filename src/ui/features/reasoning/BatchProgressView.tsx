import type { BatchReport, JobOutcome } from '../../../fiat/reasoning/batch-runner.ts';
import type { BatchRun } from './batch-store.ts';
import { formatCost, formatMs } from './format.ts';

const STATUS_TEXT: Record<BatchReport['status'], string> = {
  completed: 'Finished: every example has its reasoning.',
  'completed-with-failures': 'Finished with failures: what finished is kept; Resume retries the rest (truncated ones too).',
  cancelled: 'Cancelled: what finished is kept; Resume generates the rest.',
  stopped: 'Stopped early: an error that would fail every request (see below). What finished is kept.',
};

/** Progress of the batch (bar, counts, ETA, cost), then its outcome and the failures with their reasons. */
export function BatchProgressView({ batch }: { batch: BatchRun }) {
  const { progress, report } = batch;
  const failures = report?.outcomes.filter((o): o is Extract<JobOutcome, { status: 'failed' }> => o.status === 'failed') ?? [];
  const truncated = report?.outcomes.filter((o): o is Extract<JobOutcome, { status: 'truncated' }> => o.status === 'truncated') ?? [];
  const notRun = report?.outcomes.filter((o) => o.status === 'not-run').length ?? 0;
  return (
    <div className="batch-progress" role="group" aria-label="Batch progress">
      {progress && (
        <>
          <p className="muted">Reasoning for {batch.scopeLabel}:</p>
          <progress max={progress.total} value={progress.done} aria-label={`Reasoning for ${batch.scopeLabel}`} />
          <p className="counts" role="status" aria-label="Batch counts">
            {progress.done.toLocaleString()} of {progress.total.toLocaleString()} done ({progress.cached.toLocaleString()} cached,{' '}
            {progress.generated.toLocaleString()} generated) · {progress.truncated > 0 ? `${progress.truncated.toLocaleString()} truncated · ` : ''}
            {progress.failed.toLocaleString()} failed · {progress.inFlight} in flight ·{' '}
            {progress.requests.toLocaleString()} requests, {progress.retries.toLocaleString()} retries · {formatMs(progress.elapsedMs)}
            {batch.phase === 'running' && progress.etaMs !== null ? ` · ETA ${formatMs(progress.etaMs)}` : ''}
            {progress.cost !== null ? ` · cost ${formatCost(progress.cost)}${progress.usage.estimated ? ' (partly estimated tokens)' : ''}` : ''}
          </p>
        </>
      )}
      {batch.phase === 'running' && batch.lastRetry && (
        <p className="muted" role="group" aria-label="Last retry">
          Retrying {batch.lastRetry.exampleIds.join(', ')} in {formatMs(batch.lastRetry.delayMs)} (attempt {batch.lastRetry.attempt} failed:{' '}
          {batch.lastRetry.error.kind}).
        </p>
      )}
      {batch.error && <p role="alert">{batch.error}</p>}
      {report && (
        <p role="status" aria-label="Batch result">
          {STATUS_TEXT[report.status]}
          {notRun > 0 ? ` ${notRun.toLocaleString()} not run yet.` : ''}
          {report.stoppedBy ? ` ${report.stoppedBy.kind}: ${report.stoppedBy.message}` : ''}
        </p>
      )}
      {failures.length > 0 && (
        <ul className="failures" aria-label="Failed examples">
          {failures.map((f) => (
            <li key={f.exampleId}>
              <code>{f.exampleId}</code> after {f.attempts} {f.attempts === 1 ? 'attempt' : 'attempts'}: {f.error.kind}: {f.error.message}
            </li>
          ))}
        </ul>
      )}
      {truncated.length > 0 && (
        <ul className="failures" aria-label="Truncated examples">
          {truncated.map((t) => (
            <li key={t.exampleId}>
              <code>{t.exampleId}</code>:{' '}
              {t.reason === 'length'
                ? `truncated (length) after ${t.entry.usage.completionTokens.toLocaleString()} completion tokens: kept but not used; raise max tokens (${t.entry.params.maxTokens.toLocaleString()}) and Resume`
                : `truncated (empty, finish: ${t.entry.finishReason ?? 'none'}): the model returned no text; Resume generates it again`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
