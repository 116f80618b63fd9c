import type { MetricName } from '../task/task.ts';
import type { PredictionRow } from '../tuning/prediction-rows.ts';
import type { CompareRow } from './compare.ts';
import { toCsv, type CsvValue } from './csv.ts';
import type { LanguageTable, ResultGroup, ResultsTable, Spread } from './results.ts';

/**
 * Results and predictions as files: CSV (csv.ts; one header row, values as fractions in [0, 1] like the metrics
 * reports, an empty field where a value is undefined) and JSON (the same data, tagged with a format and version so a
 * later studio can read it back). Tables go out one row per group × method (results) or long, one row per group ×
 * method × language × metric (per language), which pivots into any layout.
 */

const RESULTS_FORMAT = { format: 'fiat-studio-results', version: 1 } as const;
const PREDICTIONS_FORMAT = { format: 'fiat-studio-predictions', version: 1 } as const;

const GROUP_HEADER = ['model', 'tau_version', 'tau_hash', 'size', 'method'];

function groupCells(group: ResultGroup, method: string): CsvValue[] {
  return [group.model, group.tau.label, group.tau.hash, group.size, method];
}

function spreadCells(spread: Spread | undefined): CsvValue[] {
  return [spread?.mean ?? null, spread?.sd ?? null, spread?.n ?? 0];
}

function metricsOf(tables: readonly { readonly metrics: readonly MetricName[] }[]): MetricName[] {
  return [...new Set(tables.flatMap((t) => t.metrics))];
}

/** One row per group × method; per metric its overall and macro mean, sd and n. */
export function resultsCsv(tables: readonly ResultsTable[]): string {
  const metrics = metricsOf(tables);
  const header = [...GROUP_HEADER, ...metrics.flatMap((m) => ['overall', 'macro'].flatMap((a) => [`${m}_${a}_mean`, `${m}_${a}_sd`, `${m}_${a}_n`]))];
  const rows = tables.flatMap((t) =>
    t.rows.map((r) => [...groupCells(t.group, r.method), ...metrics.flatMap((m) => [...spreadCells(r.overall[m]), ...spreadCells(r.macro[m])])]),
  );
  return toCsv(header, rows);
}

/** One row per group × method × language × metric. */
export function languageResultsCsv(tables: readonly LanguageTable[]): string {
  const header = [...GROUP_HEADER, 'language', 'metric', 'mean', 'sd', 'n'];
  const rows = tables.flatMap((t) =>
    t.rows.flatMap((r) => t.languages.flatMap((lang) => t.metrics.map((m) => [...groupCells(t.group, r.method), lang, m, ...spreadCells(r.languages[lang]?.[m])]))),
  );
  return toCsv(header, rows);
}

export function resultsJson(tables: readonly ResultsTable[], languages: readonly LanguageTable[]): string {
  return JSON.stringify({ ...RESULTS_FORMAT, tables, languages }, null, 2);
}

/** One run's predictions (fiat/tuning prediction-rows), one row per example; classification adds each label's probability. */
export function predictionsCsv(rows: readonly PredictionRow[]): string {
  const labels = [...new Set(rows.flatMap((r) => (r.kind === 'classification' ? r.probabilities.map((p) => p.verbalizer) : [])))];
  const qa = rows.some((r) => r.kind === 'extractive-qa');
  const header = ['example_id', 'lang', 'question', 'gold', 'output', 'right', ...(qa ? ['exact_match', 'token_f1'] : labels.map((l) => `p(${l})`))];
  return toCsv(
    header,
    rows.map((r) =>
      r.kind === 'classification'
        ? [r.exampleId, r.lang, r.question, r.gold, r.predictedVerbalizer, r.correct, ...labels.map((l) => r.probabilities.find((p) => p.verbalizer === l)?.probability ?? null)]
        : [r.exampleId, r.lang, r.question, r.gold, r.answer, r.correct, r.exactMatch, r.tokenF1],
    ),
  );
}

/** Two runs side by side (compare.ts), under the names the user gave them. */
export function comparisonCsv(rows: readonly CompareRow[], names: { readonly a: string; readonly b: string }): string {
  const header = ['example_id', 'lang', 'question', 'gold', `${names.a}_output`, `${names.a}_right`, `${names.b}_output`, `${names.b}_right`, 'differ'];
  return toCsv(header, rows.map((r) => [r.exampleId, r.lang, r.question, r.gold, r.a.output, r.a.right, r.b.output, r.b.right, r.differ]));
}

export function predictionsJson(run: { readonly name: string; readonly rows: readonly PredictionRow[] }): string {
  return JSON.stringify({ ...PREDICTIONS_FORMAT, run: run.name, rows: run.rows }, null, 2);
}
