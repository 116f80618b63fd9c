import type { MetricName } from '../../../fiat/task/task.ts';

/** Metric names as tables head them. */
export const METRIC_TITLES: Record<MetricName, string> = {
  accuracy: 'Accuracy',
  'auc-pr': 'AUC-PR',
  'exact-match': 'EM',
  'token-f1': 'F1',
};

/** A metric's value as tables show it: ×100 with one decimal; undefined is "—" (the counts say why). */
export function formatMetric(value: number | null | undefined): string {
  return typeof value === 'number' ? (value * 100).toFixed(1) : '—';
}
