import type { Aggregate } from '../../../../fiat/experiments/results.ts';
import type { MetricName } from '../../../../fiat/task/task.ts';
import { metricTitle } from './result-cells.ts';

/** A plot's metric (of those the results hold) and, where the plot has one, its aggregate (overall or macro). */
export function MetricPicker({
  metrics,
  metric,
  onMetric,
  aggregate,
  onAggregate,
}: {
  metrics: readonly MetricName[];
  metric: MetricName;
  onMetric: (m: MetricName) => void;
  aggregate?: Aggregate;
  onAggregate?: (a: Aggregate) => void;
}) {
  return (
    <>
      <label>
        Metric{' '}
        <select value={metric} onChange={(e) => onMetric(e.target.value as MetricName)}>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {metricTitle(m)}
            </option>
          ))}
        </select>
      </label>
      {aggregate && onAggregate && (
        <label>
          Over{' '}
          <select value={aggregate} onChange={(e) => onAggregate(e.target.value as Aggregate)}>
            <option value="macro">languages (macro)</option>
            <option value="overall">all examples (overall)</option>
          </select>
        </label>
      )}
    </>
  );
}

/** The metric chosen if the results still hold it, else their first (results change as runs finish). */
export function chosenMetric(metrics: readonly MetricName[], chosen: MetricName | null): MetricName | null {
  return chosen !== null && metrics.includes(chosen) ? chosen : (metrics[0] ?? null);
}
