import { useMemo } from 'react';
import type { MetricName } from '../../../fiat/task/task.ts';
import { formatDuration, paddingShare, smoothLosses, throughput } from '../../../fiat/tuning/curves.ts';
import { LineChart } from '../../components/chart/LineChart.tsx';
import type { LiveRun } from './run-store.ts';

const STATUS_TEXT: Record<LiveRun['status'], string> = {
  preparing: 'Preparing (building the graphs, uploading the weights)…',
  running: 'Training',
  evaluating: 'Evaluating on the validation sample…',
  paused: 'Paused',
  done: 'Done',
  cancelled: 'Cancelled',
  diverged: 'Stopped: the loss diverged',
  'device-lost': 'Paused: the GPU device was lost',
  failed: 'Failed',
};

const METRIC_LABEL: Record<MetricName, string> = { accuracy: 'accuracy', 'auc-pr': 'AUC-PR', 'token-f1': 'token F1', 'exact-match': 'exact match' };

/** The smoothing of the loss curve (TensorBoard's default is 0.6). */
const SMOOTHING = 0.6;

/** Progress (bar, ETA, tokens/s), the loss curve (raw and smoothed) and the validation metrics over steps. */
export function RunProgress({ run }: { run: LiveRun }) {
  const step = run.losses.at(-1)?.step ?? run.evaluations.at(-1)?.step ?? 0;
  const pace = run.active ? throughput(run.samples, run.totalSteps) : null;
  const padding = paddingShare(run.samples);
  const loss = useMemo(() => {
    const x = run.losses.map((p) => p.step);
    const smoothed = smoothLosses(run.losses, SMOOTHING);
    const last = run.losses.at(-1);
    return {
      x,
      series: [
        { label: 'loss', values: run.losses.map((p) => p.loss), color: '#9aa5b1', dashed: true },
        { label: `smoothed (${SMOOTHING})`, values: smoothed, color: '#2563eb' },
      ],
      summary: last ? `${run.losses.length} steps; loss at step ${last.step}: ${last.loss.toFixed(4)}, smoothed ${smoothed.at(-1)!.toFixed(4)}` : 'no step yet',
    };
  }, [run.losses]);
  const metrics = useMemo(() => {
    // The run's own evaluations (its validation sample at its steps); those made after it are on other samples.
    const own = run.evaluations.filter((e) => !e.tag);
    const first = own[0]?.evaluation.report;
    const names = first?.metrics ?? [];
    const x = own.map((e) => e.step);
    const colors = ['#16a34a', '#d97706', '#7c3aed', '#dc2626'];
    const series = names.map((name, i) => ({ label: `${METRIC_LABEL[name]} (macro)`, values: own.map((e) => e.evaluation.report.macro[name]?.value ?? null), color: colors[i % colors.length]! }));
    const last = own.at(-1);
    const summary = last
      ? `${own.length} evaluations; at step ${last.step}: ${names.map((n) => `${METRIC_LABEL[n]} ${formatMetric(last.evaluation.report.macro[n]?.value ?? null)}`).join(', ')}`
      : 'no evaluation yet';
    return { x, series, summary };
  }, [run.evaluations]);

  // A record of evaluations without a run has no training to show (its evaluations show below).
  if (run.evaluationsOnly) return null;
  return (
    <div className="run-progress" data-status={run.status}>
      <p role="status" className={run.status === 'diverged' || run.status === 'failed' || run.status === 'device-lost' ? 'warning-line' : undefined}>
        {/* A lost device's message says it all (the step reached, the checkpoint it paused at). */}
        {run.status === 'device-lost' && run.message ? run.message : STATUS_TEXT[run.status]}
        {run.evaluating ? ` (${run.evaluating.done} of ${run.evaluating.total})` : ''}
        {run.message && run.status !== 'device-lost' ? `: ${run.message}` : ''}
      </p>
      <progress max={run.totalSteps} value={step} aria-label="Training steps" />
      <p className="muted" data-testid="run-step">
        Step {step} of {run.totalSteps} on {whereItRuns(run.ep, run.threads)} · {run.modelLabel}
        {pace ? ` · ${Math.round(pace.tokensPerSecond).toLocaleString()} tokens/s · ${pace.secondsPerStep.toFixed(2)} s/step` : ''}
        {pace?.secondsLeft != null && pace.secondsLeft > 0 ? ` · about ${formatDuration(pace.secondsLeft)} left` : ''}
        {padding !== null ? ` · ${(padding * 100).toFixed(0)}% padding` : ''}
      </p>
      <LineChart title="Training loss" xLabel="step" yLabel="loss" x={loss.x} series={loss.series} summary={loss.summary} />
      <LineChart title="Validation metrics" xLabel="step" yLabel="metric" x={metrics.x} series={metrics.series} summary={metrics.summary} yRange={[0, 1]} />
    </div>
  );
}

/** The backend as the progress line names it; WASM with its threads. */
export function whereItRuns(ep: string, threads: number | null): string {
  if (ep === 'webgpu') return 'WebGPU';
  if (ep !== 'wasm') return ep;
  return threads === null ? 'WASM (CPU)' : `WASM (CPU, ${threads} thread${threads === 1 ? '' : 's'})`;
}

export function formatMetric(value: number | null): string {
  return value === null ? 'n/a' : (value * 100).toFixed(1);
}
