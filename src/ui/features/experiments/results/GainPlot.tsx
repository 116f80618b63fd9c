import { useId, useMemo, useState } from 'react';
import type { LanguageTable } from '../../../../fiat/experiments/results.ts';
import type { MetricName } from '../../../../fiat/task/task.ts';
import { chosenMetric, MetricPicker } from './MetricPicker.tsx';
import { GroupSelect } from './Pickers.tsx';
import { gainScatter } from './plot-series.ts';
import { ResultChart } from './ResultChart.tsx';
import { groupCaption, methodName, metricTitle } from './result-cells.ts';

/** The paper's pair (Fig. 3): FIAT over the run without CoT-augmented tuning. */
const DEFAULT_PAIR = { method: 'fiat', baseline: 'no-cot' } as const;

/**
 * Fig. 3: each language's gain of one method over another (FIAT over w/o CoT-augmented tuning unless the user picks
 * another pair) against the other's score, points only, in one model × I_τ version × size group.
 */
export function GainPlot({ tables }: { tables: readonly LanguageTable[] }) {
  const headingId = useId();
  const [groupIndex, setGroupIndex] = useState(0);
  const table = tables[Math.min(groupIndex, tables.length - 1)];
  const methods = useMemo(() => table?.rows.map((r) => r.method) ?? [], [table]);
  const [pick, setPick] = useState<{ method: string; baseline: string } | null>(null);
  const pair = useMemo(() => pick ?? defaultPair(methods), [pick, methods]);
  const [metricChoice, setMetric] = useState<MetricName | null>(null);
  const metric = chosenMetric(table?.metrics ?? [], metricChoice);

  const label = pair ? `${methodName(pair.method)} − ${methodName(pair.baseline)}` : '';
  const data = useMemo(() => (table && pair && metric ? gainScatter(table, pair.method, pair.baseline, metric, label) : { x: [], series: [], points: [] }), [table, pair, metric, label]);
  if (!table) return null;
  const title = metric && pair ? `Gain of ${methodName(pair.method)} over ${methodName(pair.baseline)} per language (${metricTitle(metric)})` : 'Gain per language';
  const summary = data.points.map((p) => `${p.lang}: ${p.baseline.toFixed(1)} → ${p.gain >= 0 ? '+' : ''}${p.gain.toFixed(1)}`).join('; ');
  return (
    <section className="experiment-plot" aria-labelledby={headingId}>
      <h4 id={headingId}>Gain per language</h4>
      <div className="row-actions" role="group" aria-label="Gain plot settings">
        <GroupSelect labels={tables.map((t) => groupCaption(t.group))} index={groupIndex} onChange={setGroupIndex} />
        <MethodSelect label="Gain of" methods={methods} value={pair?.method ?? ''} onChange={(method) => setPick({ method, baseline: pair?.baseline ?? '' })} />
        <MethodSelect label="over" methods={methods} value={pair?.baseline ?? ''} onChange={(baseline) => setPick({ method: pair?.method ?? '', baseline })} />
        {metric && <MetricPicker metrics={table.metrics} metric={metric} onMetric={setMetric} />}
      </div>
      <ResultChart
        title={title}
        xLabel={pair && metric ? `${methodName(pair.baseline)} ${metricTitle(metric)} ×100` : 'score ×100'}
        yLabel="gain ×100"
        data={data}
        summary={summary}
        pointsOnly
        yRange={symmetricRange(data.points.map((p) => p.gain))}
        empty={
          !pair || pair.method === pair.baseline
            ? 'Pick two different methods to plot the gain of one over the other.'
            : `No language has a score for both ${methodName(pair.method)} and ${methodName(pair.baseline)} yet.`
        }
      />
    </section>
  );
}

/** FIAT over no-cot when both finished, else the first two methods there are. */
function defaultPair(methods: readonly string[]): { method: string; baseline: string } | null {
  if (methods.includes(DEFAULT_PAIR.method) && methods.includes(DEFAULT_PAIR.baseline)) return DEFAULT_PAIR;
  const [method, baseline] = methods;
  return method && baseline ? { method, baseline } : null;
}

function MethodSelect({ label, methods, value, onChange }: { label: string; methods: readonly string[]; value: string; onChange: (m: string) => void }) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {!methods.includes(value) && <option value={value}>–</option>}
        {methods.map((m) => (
          <option key={m} value={m}>
            {methodName(m)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A gain axis centred on 0 (no gain), wide enough for the largest gain and at least ±5 points. */
function symmetricRange(gains: readonly number[]): [number, number] {
  const most = Math.max(5, ...gains.map((g) => Math.abs(g) * 1.15));
  return [-most, most];
}
