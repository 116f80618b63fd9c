import { useId, useMemo, useState } from 'react';
import type { FinishedRun } from '../../../../fiat/experiments/queue.ts';
import type { Aggregate } from '../../../../fiat/experiments/results.ts';
import type { MetricName } from '../../../../fiat/task/task.ts';
import { chosenMetric, MetricPicker } from './MetricPicker.tsx';
import { stepCurves } from './plot-series.ts';
import { ResultChart } from './ResultChart.tsx';
import { metricTitle, runLabel } from './result-cells.ts';

/** Runs ticked at first: the trained ones (those with a curve), up to this many. */
const FIRST_TICKED = 4;

/** Fig. 5: the validation metric over steps for the runs the user ticks, one series per run. */
export function StepsPlot({ runs, metrics }: { runs: readonly FinishedRun[]; metrics: readonly MetricName[] }) {
  const headingId = useId();
  const [ticked, setTicked] = useState<ReadonlySet<string> | null>(null);
  const [metricChoice, setMetric] = useState<MetricName | null>(null);
  const [aggregate, setAggregate] = useState<Aggregate>('macro');
  const metric = chosenMetric(metrics, metricChoice);
  // Until the user ticks anything, the first trained runs are shown.
  const shown = useMemo(() => ticked ?? new Set(runs.filter((r) => r.spec.trains).slice(0, FIRST_TICKED).map((r) => r.item.id)), [ticked, runs]);
  const toggle = (id: string) => {
    const next = new Set(shown);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setTicked(next);
  };
  const data = useMemo(
    () => (metric ? stepCurves(runs.filter((r) => shown.has(r.item.id)).map((run) => ({ label: runLabel(run), run })), metric, aggregate) : { x: [], series: [] }),
    [runs, shown, metric, aggregate],
  );
  const title = metric ? `Validation ${metricTitle(metric)} (${aggregate}) over steps` : 'Validation metric over steps';
  const summary = data.series.map((s) => `${s.label}: ${s.values.filter((v) => v !== null).length} evaluations, last ${lastValue(s.values)}`).join('; ');
  return (
    <section className="experiment-plot" aria-labelledby={headingId}>
      <h4 id={headingId}>Metric over steps</h4>
      <div className="row-actions" role="group" aria-label="Steps plot settings">
        {metric && <MetricPicker metrics={metrics} metric={metric} onMetric={setMetric} aggregate={aggregate} onAggregate={setAggregate} />}
      </div>
      <fieldset className="experiment-run-picker">
        <legend>Runs to plot</legend>
        {runs.map((run) => (
          <label key={run.item.id}>
            <input type="checkbox" checked={shown.has(run.item.id)} onChange={() => toggle(run.item.id)} /> {runLabel(run)}
          </label>
        ))}
      </fieldset>
      <ResultChart
        title={title}
        xLabel="step"
        yLabel={metric ? `${metricTitle(metric)} ×100` : 'metric ×100'}
        data={data}
        summary={summary}
        empty={shown.size === 0 ? 'Tick a run to plot its validation metric over steps.' : 'The ticked runs have no evaluation with this metric.'}
      />
    </section>
  );
}

function lastValue(values: readonly (number | null)[]): string {
  const last = [...values].reverse().find((v) => v !== null);
  return last === undefined || last === null ? 'none' : last.toFixed(1);
}
