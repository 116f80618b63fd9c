import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * The studio's line chart (the one wrapper of uPlot, a maintained canvas plotting library: STYLE.md practice 6), for
 * curves that grow while a run trains. Series share the x values; a missing point is null (uPlot leaves a gap).
 * The canvas is for the eye: `summary` is its text for screen readers and for tests (what the chart shows, in words).
 */
export interface LineSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** CSS colour; dashed for a secondary series (the raw loss under its smoothed curve). */
  readonly color: string;
  readonly dashed?: boolean;
  readonly width?: number;
  /** Points only, no line (a scatter: the x values must still ascend). */
  readonly pointsOnly?: boolean;
}

export interface LineChartProps {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  readonly series: readonly LineSeries[];
  readonly summary: string;
  readonly height?: number;
  /** y axis range; default from the data. */
  readonly yRange?: readonly [number, number];
}

function lineSeries(s: LineSeries): uPlot.Series {
  return { label: s.label, stroke: s.color, width: s.width ?? (s.dashed ? 1 : 2), ...(s.dashed ? { dash: [4, 4] } : {}), spanGaps: true };
}

/** No path; every point drawn, whatever uPlot's density rule would hide. */
function scatterSeries(s: LineSeries): uPlot.Series {
  return { label: s.label, stroke: s.color, width: 0, paths: () => null, points: { show: true, size: 8, stroke: s.color, fill: s.color } };
}

export function LineChart({ title, xLabel, yLabel, x, series, summary, height = 180, yRange }: LineChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = `${series.map((s) => `${s.label}:${s.color}:${s.dashed ? 1 : 0}:${s.pointsOnly ? 1 : 0}`).join('|')}:${yRange?.join(',') ?? ''}`;

  // The plot is made once per shape of the chart and fed new data as the run goes on (setData, no re-creation).
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      scales: { x: { time: false }, ...(yRange ? { y: { range: [yRange[0], yRange[1]] } } : {}) },
      axes: [{ label: xLabel }, { label: yLabel }],
      legend: { show: true },
      series: [{ label: xLabel }, ...series.map((s) => (s.pointsOnly ? scatterSeries(s) : lineSeries(s)))],
    };
    const made = new uPlot(options, [[], ...series.map(() => [])] as uPlot.AlignedData, element);
    plot.current = made;
    const resize = new ResizeObserver(() => made.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `shape` stands for the series' look and the range
  }, [shape, height, xLabel, yLabel]);

  useEffect(() => {
    plot.current?.setData([x as number[], ...series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData);
  }, [x, series, shape]);

  return (
    <figure className="line-chart">
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={`${title}: ${summary}`} data-points={x.length} data-series={series.length} />
    </figure>
  );
}
