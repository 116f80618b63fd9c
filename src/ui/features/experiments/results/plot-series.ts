import type { FinishedRun } from '../../../../fiat/experiments/queue.ts';
import { languageGains, metricBySize, metricCurve, type Aggregate, type LanguageTable, type ResultsTable } from '../../../../fiat/experiments/results.ts';
import type { MetricName } from '../../../../fiat/task/task.ts';

/**
 * The plots' data as the chart wrapper takes it (components/chart: series over shared x values, null where a series
 * has no point), in percentages like the tables. Pure: the plot components only pick and draw.
 */
export interface PlotSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

export interface PlotData {
  readonly x: readonly number[];
  readonly series: readonly PlotSeries[];
}

const pct = (value: number | null | undefined) => (typeof value === 'number' ? value * 100 : null);

/** Series over the union of their x values (ascending), each null where it has no point. */
function aligned(sources: readonly { label: string; points: readonly { x: number; y: number | null }[] }[]): PlotData {
  const x = [...new Set(sources.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const series = sources.map(({ label, points }) => {
    const byX = new Map(points.map((p) => [p.x, p.y]));
    return { label, values: x.map((v) => byX.get(v) ?? null) };
  });
  return { x, series };
}

/** Fig. 5: each chosen run's validation metric at each evaluated step, one series per run. */
export function stepCurves(runs: readonly { readonly label: string; readonly run: FinishedRun }[], metric: MetricName, aggregate: Aggregate): PlotData {
  return aligned(runs.map(({ label, run }) => ({ label, points: metricCurve(run.evaluations, metric, aggregate).map((p) => ({ x: p.step, y: pct(p.value) })) })));
}

export interface GainScatter extends PlotData {
  /** The points as text, in x order: "fi: 55.0 → +12.5". */
  readonly points: readonly { readonly lang: string; readonly baseline: number; readonly gain: number }[];
}

/**
 * Fig. 3: each language's gain of `method` over `baseline` (y) against the baseline's score (x), one series of points,
 * x ascending as the chart wants it (languages may share an x: each is still a point).
 */
export function gainScatter(table: LanguageTable, method: string, baseline: string, metric: MetricName, label: string): GainScatter {
  const points = languageGains(table, method, baseline, metric)
    .map((g) => ({ lang: g.lang, baseline: g.baseline * 100, gain: g.gain * 100 }))
    .sort((a, b) => a.baseline - b.baseline);
  return { x: points.map((p) => p.baseline), series: points.length > 0 ? [{ label, values: points.map((p) => p.gain) }] : [], points };
}

/** Metric against training-set size, one series per method (its mean over seeds at each size). */
export function sizeCurves(
  tables: readonly ResultsTable[],
  select: { readonly model: string; readonly tauHash: string },
  metric: MetricName,
  aggregate: Aggregate,
  nameOf: (method: string) => string,
): PlotData {
  return aligned(metricBySize(tables, select, metric, aggregate).map((s) => ({ label: nameOf(s.method), points: s.points.map((p) => ({ x: p.size, y: pct(p.value.mean) })) })));
}

/** Sizes the tables hold for one model and I_τ version: the size plot is shown only for two or more. */
export function sizesOf(tables: readonly ResultsTable[], select: { readonly model: string; readonly tauHash: string }): number[] {
  return [...new Set(tables.filter((t) => t.group.model === select.model && t.group.tau.hash === select.tauHash).map((t) => t.group.size))].sort((a, b) => a - b);
}
