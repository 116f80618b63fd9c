import { useMemo } from 'react';
import { seriesColor } from '../../../components/chart/colors.ts';
import { LineChart } from '../../../components/chart/LineChart.tsx';
import type { PlotData } from './plot-series.ts';

/**
 * One results plot through the chart wrapper (its figure caption, legend and `data-series` count), or a sentence
 * instead when there is nothing to draw: no series, or no point in any.
 */
export function ResultChart({
  title,
  xLabel,
  yLabel,
  data,
  summary,
  empty,
  pointsOnly = false,
  yRange,
}: {
  title: string;
  xLabel: string;
  yLabel: string;
  data: PlotData;
  summary: string;
  empty: string;
  pointsOnly?: boolean;
  /** The y axis's range (default: from the data). */
  yRange?: readonly [number, number];
}) {
  const series = useMemo(() => data.series.map((s, i) => ({ label: s.label, values: s.values, color: seriesColor(i), pointsOnly })), [data, pointsOnly]);
  const drawn = data.x.length > 0 && data.series.some((s) => s.values.some((v) => v !== null));
  if (!drawn) {
    return (
      <p className="muted experiment-plot-empty" data-plot={title}>
        {empty}
      </p>
    );
  }
  return <LineChart title={title} xLabel={xLabel} yLabel={yLabel} x={data.x} series={series} summary={summary} height={240} {...(yRange ? { yRange } : {})} />;
}
