import { useId, useMemo, useState } from 'react';
import type { Aggregate, ResultsTable } from '../../../../fiat/experiments/results.ts';
import type { MetricName } from '../../../../fiat/task/task.ts';
import { chosenMetric, MetricPicker } from './MetricPicker.tsx';
import { GroupSelect } from './Pickers.tsx';
import { sizeCurves, sizesOf } from './plot-series.ts';
import { ResultChart } from './ResultChart.tsx';
import { methodName, metricTitle } from './result-cells.ts';

/**
 * The metric against training-set size, one series per method (its mean over seeds), for one model and I_τ version:
 * shown when those results hold two sizes or more.
 */
export function SizePlot({ tables }: { tables: readonly ResultsTable[] }) {
  const headingId = useId();
  const choices = useMemo(() => {
    const seen = new Map<string, { model: string; tauHash: string; label: string }>();
    for (const t of tables) seen.set(`${t.group.model}|${t.group.tau.hash}`, { model: t.group.model, tauHash: t.group.tau.hash, label: `${t.group.model} · I_τ ${t.group.tau.label}` });
    return [...seen.values()].filter((c) => sizesOf(tables, c).length >= 2);
  }, [tables]);
  const [choiceIndex, setChoiceIndex] = useState(0);
  const [metricChoice, setMetric] = useState<MetricName | null>(null);
  const [aggregate, setAggregate] = useState<Aggregate>('macro');
  const choice = choices[Math.min(choiceIndex, choices.length - 1)];
  const metrics = useMemo(() => [...new Set(tables.filter((t) => choice && t.group.model === choice.model && t.group.tau.hash === choice.tauHash).flatMap((t) => t.metrics))], [tables, choice]);
  const metric = chosenMetric(metrics, metricChoice);
  const data = useMemo(() => (choice && metric ? sizeCurves(tables, choice, metric, aggregate, methodName) : { x: [], series: [] }), [tables, choice, metric, aggregate]);
  if (!choice) return null;
  const title = metric ? `${metricTitle(metric)} (${aggregate}) by training-set size` : 'Metric by training-set size';
  const summary = data.series.map((s) => `${s.label}: ${data.x.map((size, i) => `${size} → ${s.values[i]?.toFixed(1) ?? '–'}`).join(', ')}`).join('; ');
  return (
    <section className="experiment-plot" aria-labelledby={headingId}>
      <h4 id={headingId}>Metric by training-set size</h4>
      <div className="row-actions" role="group" aria-label="Size plot settings">
        <GroupSelect labels={choices.map((c) => c.label)} index={choiceIndex} onChange={setChoiceIndex} />
        {metric && <MetricPicker metrics={metrics} metric={metric} onMetric={setMetric} aggregate={aggregate} onAggregate={setAggregate} />}
      </div>
      <ResultChart
        title={title}
        xLabel="training examples"
        yLabel={metric ? `${metricTitle(metric)} ×100` : 'metric ×100'}
        data={data}
        summary={summary}
        empty="No method has a value for this metric at these sizes yet."
      />
    </section>
  );
}
