import type { MetricValues } from '../metrics/report.ts';
import type { MetricName } from '../task/task.ts';
import type { FinishedRun, StepEvaluation } from './queue.ts';

/**
 * An experiment's results in the shapes the paper shows them, from its finished runs' evaluations (pure functions):
 * - the results table (its Table 2/3): one table per model × I_τ version × training-set size, rows = methods, columns
 *   = the task's metrics, overall (every example pooled) and macro (the mean over languages, the paper's averages);
 * - per-language tables (its Tables 6-8): rows = methods, columns = languages;
 * - every cell the mean over seeds of each run's final evaluation, with its sample standard deviation and n;
 * - a run's metric over steps (Fig. 5), each language's gain of one method over another against the other's score
 *   (Fig. 3: FIAT over the run without CoT-augmented tuning), and a metric against training-set size.
 * Runs of one method in one group that share a key (ICL's cells: one result whatever the seed) count once.
 * Values are fractions in [0, 1], as the metrics report gives them.
 */

export interface Spread {
  /** Mean over the runs where the value is defined; null when it is defined for none. */
  readonly mean: number | null;
  /** Sample standard deviation (n - 1); null for fewer than two values. */
  readonly sd: number | null;
  /** How many runs the mean is over. */
  readonly n: number;
}

export type MetricSpreads = Partial<Record<MetricName, Spread>>;

export interface ResultGroup {
  readonly model: string;
  readonly tau: { readonly label: string; readonly hash: string };
  readonly size: number;
}

export interface MethodRow {
  readonly method: string;
  readonly overall: MetricSpreads;
  readonly macro: MetricSpreads;
}

export interface ResultsTable {
  readonly group: ResultGroup;
  readonly metrics: readonly MetricName[];
  readonly rows: readonly MethodRow[];
}

export interface LanguageRow {
  readonly method: string;
  readonly languages: Readonly<Record<string, MetricSpreads>>;
}

export interface LanguageTable {
  readonly group: ResultGroup;
  readonly metrics: readonly MetricName[];
  /** Every language any run reports, sorted by code. */
  readonly languages: readonly string[];
  readonly rows: readonly LanguageRow[];
}

export function spreadOf(values: readonly (number | null | undefined)[]): Spread {
  const defined = values.filter((v): v is number => typeof v === 'number');
  const n = defined.length;
  if (n === 0) return { mean: null, sd: null, n };
  const mean = defined.reduce((a, v) => a + v, 0) / n;
  if (n < 2) return { mean, sd: null, n };
  const squares = defined.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(squares / (n - 1)), n };
}

/** The evaluation at the highest step (the run's final one); undefined for none. */
export function finalEvaluation(evaluations: readonly StepEvaluation[]): StepEvaluation | undefined {
  let last: StepEvaluation | undefined;
  for (const e of evaluations) if (!last || e.step > last.step) last = e;
  return last;
}

interface Grouped {
  readonly group: ResultGroup;
  /** Method -> its runs' final evaluations, one per distinct key, in queue order. */
  readonly byMethod: Map<string, StepEvaluation[]>;
}

/** Groups in order of first appearance; methods in `methodOrder` first (the catalogue's order), then as they appear. */
function grouped(runs: readonly FinishedRun[], methodOrder: readonly string[]): Grouped[] {
  const groups = new Map<string, Grouped & { keys: Set<string> }>();
  for (const run of runs) {
    const final = finalEvaluation(run.evaluations);
    if (!final) continue;
    const { model, tau, size } = run.spec;
    const id = JSON.stringify([model.label, tau.hash, size]);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { group: { model: model.label, tau: { label: tau.label, hash: tau.hash }, size }, byMethod: new Map(), keys: new Set() }));
    const methodKey = JSON.stringify([run.spec.method, run.item.key]);
    if (g.keys.has(methodKey)) continue;
    g.keys.add(methodKey);
    const list = g.byMethod.get(run.spec.method);
    if (list) list.push(final);
    else g.byMethod.set(run.spec.method, [final]);
  }
  const rank = (m: string) => {
    const i = methodOrder.indexOf(m);
    return i < 0 ? methodOrder.length : i;
  };
  return [...groups.values()].map(({ group, byMethod }) => ({
    group,
    // A stable sort keeps methods outside the order as they appeared.
    byMethod: new Map([...byMethod].sort(([a], [b]) => rank(a) - rank(b))),
  }));
}

function metricsOf(finals: Iterable<readonly StepEvaluation[]>): MetricName[] {
  const metrics: MetricName[] = [];
  for (const list of finals) for (const { evaluation } of list) for (const m of evaluation.report.metrics) if (!metrics.includes(m)) metrics.push(m);
  return metrics;
}

function spreads(metrics: readonly MetricName[], values: readonly (MetricValues | undefined)[]): MetricSpreads {
  return Object.fromEntries(metrics.map((m) => [m, spreadOf(values.map((v) => v?.[m]))]));
}

export function resultsTables(runs: readonly FinishedRun[], methodOrder: readonly string[] = []): ResultsTable[] {
  return grouped(runs, methodOrder).map(({ group, byMethod }) => {
    const metrics = metricsOf(byMethod.values());
    const rows = [...byMethod].map(([method, finals]) => ({
      method,
      overall: spreads(metrics, finals.map((f) => f.evaluation.report.overall.values)),
      macro: Object.fromEntries(metrics.map((m) => [m, spreadOf(finals.map((f) => f.evaluation.report.macro[m]?.value))])),
    }));
    return { group, metrics, rows };
  });
}

export function languageTables(runs: readonly FinishedRun[], methodOrder: readonly string[] = []): LanguageTable[] {
  return grouped(runs, methodOrder).map(({ group, byMethod }) => {
    const metrics = metricsOf(byMethod.values());
    const languages = [...new Set([...byMethod.values()].flatMap((finals) => finals.flatMap((f) => f.evaluation.report.languages.map((l) => l.lang))))].sort();
    const rows = [...byMethod].map(([method, finals]) => ({
      method,
      languages: Object.fromEntries(
        languages.map((lang) => [lang, spreads(metrics, finals.map((f) => f.evaluation.report.languages.find((l) => l.lang === lang)?.values))]),
      ),
    }));
    return { group, metrics, languages, rows };
  });
}

export type Aggregate = 'overall' | 'macro';

export interface CurvePoint {
  readonly step: number;
  readonly value: number | null;
}

/** A run's metric at each evaluated step, by step (Fig. 5). */
export function metricCurve(evaluations: readonly StepEvaluation[], metric: MetricName, aggregate: Aggregate): CurvePoint[] {
  return [...evaluations]
    .sort((a, b) => a.step - b.step)
    .map(({ step, evaluation }) => {
      const report = evaluation.report;
      const value = aggregate === 'overall' ? report.overall.values[metric] : report.macro[metric]?.value;
      return { step, value: value ?? null };
    });
}

export interface LanguageGain {
  readonly lang: string;
  /** The baseline method's mean score in the language (the x axis). */
  readonly baseline: number;
  /** The method's mean score minus the baseline's (the y axis). */
  readonly gain: number;
}

/**
 * Each language's gain of `method` over `baseline` against the baseline's score, from one language table (Fig. 3:
 * FIAT over the run without CoT-augmented tuning). Languages where either mean is undefined are left out.
 */
export function languageGains(table: LanguageTable, method: string, baseline: string, metric: MetricName): LanguageGain[] {
  const row = (m: string) => table.rows.find((r) => r.method === m);
  const ours = row(method);
  const theirs = row(baseline);
  if (!ours || !theirs) return [];
  return table.languages.flatMap((lang) => {
    const a = ours.languages[lang]?.[metric]?.mean;
    const b = theirs.languages[lang]?.[metric]?.mean;
    return typeof a === 'number' && typeof b === 'number' ? [{ lang, baseline: b, gain: a - b }] : [];
  });
}

export interface SizeSeries {
  readonly method: string;
  readonly points: readonly { readonly size: number; readonly value: Spread }[];
}

/** A metric against training-set size for each method of one model and I_τ version, sizes ascending. */
export function metricBySize(tables: readonly ResultsTable[], select: { readonly model: string; readonly tauHash: string }, metric: MetricName, aggregate: Aggregate): SizeSeries[] {
  const series = new Map<string, { size: number; value: Spread }[]>();
  const chosen = tables.filter((t) => t.group.model === select.model && t.group.tau.hash === select.tauHash).sort((a, b) => a.group.size - b.group.size);
  for (const table of chosen) {
    for (const row of table.rows) {
      const value = row[aggregate][metric];
      if (!value) continue;
      const points = series.get(row.method);
      if (points) points.push({ size: table.group.size, value });
      else series.set(row.method, [{ size: table.group.size, value }]);
    }
  }
  return [...series].map(([method, points]) => ({ method, points }));
}
