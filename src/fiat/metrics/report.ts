import type { MetricName, TaskSpec } from '../task/task.ts';
import { accuracy, averagePrecision } from './classification.ts';
import { answerableGolds, isNoAnswer, scoreAnswer, type GoldAnswers } from './squad.ts';

/**
 * A task's metrics over a set of predictions, per language, overall and as the macro average over languages, in
 * the shape a results table and an export need. Values are fractions in [0, 1] (a table shows them ×100).
 *
 * - Per language: each language's examples on their own, languages sorted by code (as `languagesOf`).
 * - `overall`: every example pooled into one set (micro): accuracy, EM and F1 are means over all examples, AUC-PR
 *   is the average precision of one ranking of all of them. This is what the SQuAD script reports for a file.
 * - `macro`: the unweighted mean of the per-language values, every language counting the same whatever its size.
 *   The FIAT paper's per-language tables and their averages are this kind.
 */

export interface ClassificationPrediction {
  exampleId: string;
  lang: string;
  /** The gold label's value (an Example's `label`). */
  gold: string;
  prediction: {
    /** The label value the model chose; null when its output named no label (counts as wrong). */
    label: string | null;
    /** The model's probability of the positive label; null when it was not scored (then AUC-PR is undefined). */
    positiveProbability: number | null;
  };
}

export interface QaPrediction {
  exampleId: string;
  lang: string;
  /** The gold span(s); null when the passage has no answer (an Example's `answer: null`). */
  gold: GoldAnswers;
  /** The answer the model gave; null for no answer (see `qaPredictionOf`). */
  prediction: string | null;
}

export interface ClassificationCounts {
  examples: number;
  /** Examples whose predicted label is the gold one. */
  correct: number;
  /** Examples whose gold label is the positive one; 0 leaves AUC-PR undefined. */
  positives: number;
  /** Examples whose output named no label. */
  noLabel: number;
  /** Examples without a positive-label probability; any leaves AUC-PR undefined. */
  unscored: number;
}

export interface QaCounts {
  examples: number;
  /** Examples with exact match 1. */
  exact: number;
  /** Examples whose gold is "no answer". */
  noAnswerGold: number;
  /** Examples where the model said "no answer" (or something that normalises to nothing). */
  noAnswerPredicted: number;
}

/** The report's metrics for one group; null where a metric is undefined for it (the counts say why). */
export type MetricValues = Partial<Record<MetricName, number | null>>;

export interface GroupMetrics<Counts> {
  counts: Counts;
  values: MetricValues;
}

export interface LanguageMetrics<Counts> extends GroupMetrics<Counts> {
  lang: string;
}

export interface MacroAverage {
  /** Mean over the languages where the metric is defined; null when it is defined for none. */
  value: number | null;
  /** How many languages that mean is over (fewer than all when some language's value is undefined). */
  languages: number;
}

interface ReportOf<Kind, Counts, ExampleScore> {
  kind: Kind;
  /** The metrics in this report, in the order a table shows them. */
  metrics: MetricName[];
  languages: LanguageMetrics<Counts>[];
  overall: GroupMetrics<Counts>;
  macro: Partial<Record<MetricName, MacroAverage>>;
  /** Each example's own score, in input order, for listing the misses. */
  examples: ExampleScore[];
}

export interface ClassificationExampleScore {
  exampleId: string;
  lang: string;
  correct: boolean;
}

export interface QaExampleScore {
  exampleId: string;
  lang: string;
  exactMatch: 0 | 1;
  tokenF1: number;
}

export type ClassificationReport = ReportOf<'classification', ClassificationCounts, ClassificationExampleScore> & {
  /** The label AUC-PR ranks for; null when the report has no AUC-PR. */
  positiveLabel: string | null;
};
export type QaReport = ReportOf<'extractive-qa', QaCounts, QaExampleScore>;
export type MetricsReport = ClassificationReport | QaReport;

const POSITIVE_VALUES = ['1', 'true', 'yes'];

/**
 * The label AUC-PR is computed for: with two labels, the one whose value reads as "yes" ("1", "true", "yes", any
 * case: XOR-AttriQA's 1 = supported), else the first listed. Null for QA and for more than two labels, where the
 * studio reports accuracy only (as import.ts chooses the metrics).
 */
export function positiveLabelOf(spec: TaskSpec): string | null {
  if (spec.kind !== 'classification' || spec.labels.length !== 2) return null;
  const yes = spec.labels.find((l) => POSITIVE_VALUES.includes(l.value.trim().toLowerCase()));
  return (yes ?? spec.labels[0]!).value;
}

/** Accuracy and, when `positiveLabel` is given, AUC-PR (average precision of its probability). */
export function classificationReport(rows: readonly ClassificationPrediction[], positiveLabel: string | null): ClassificationReport {
  const metrics: MetricName[] = positiveLabel === null ? ['accuracy'] : ['accuracy', 'auc-pr'];
  const group = (these: readonly ClassificationPrediction[]): GroupMetrics<ClassificationCounts> => {
    const gold = these.map((r) => r.gold);
    const predicted = these.map((r) => r.prediction.label);
    const probabilities = these.map((r) => r.prediction.positiveProbability);
    const counts: ClassificationCounts = {
      examples: these.length,
      correct: these.filter((r) => r.prediction.label === r.gold).length,
      positives: these.filter((r) => r.gold === positiveLabel).length,
      noLabel: these.filter((r) => r.prediction.label === null).length,
      unscored: probabilities.filter((p) => p === null).length,
    };
    const values: MetricValues = { accuracy: accuracy(gold, predicted) };
    if (positiveLabel !== null) {
      const scores = probabilities.filter((p): p is number => p !== null);
      values['auc-pr'] =
        counts.unscored > 0 ? null : averagePrecision(these.map((r) => r.gold === positiveLabel), scores);
    }
    return { counts, values };
  };
  const examples = rows.map((r) => ({ exampleId: r.exampleId, lang: r.lang, correct: r.prediction.label === r.gold }));
  return { kind: 'classification', positiveLabel, ...assemble(rows, metrics, group), examples };
}

/** SQuAD v2.0 exact match and token F1 (see squad.ts). */
export function qaReport(rows: readonly QaPrediction[]): QaReport {
  const metrics: MetricName[] = ['exact-match', 'token-f1'];
  const scored = new Map(rows.map((r) => [r, scoreAnswer(r.gold, r.prediction)]));
  const group = (these: readonly QaPrediction[]): GroupMetrics<QaCounts> => {
    const scores = these.map((r) => scored.get(r)!);
    const counts: QaCounts = {
      examples: these.length,
      exact: scores.filter((s) => s.exactMatch === 1).length,
      noAnswerGold: these.filter((r) => answerableGolds(r.gold).length === 0).length,
      noAnswerPredicted: these.filter((r) => isNoAnswer(r.prediction)).length,
    };
    return {
      counts,
      values: { 'exact-match': meanOf(scores.map((s) => s.exactMatch)), 'token-f1': meanOf(scores.map((s) => s.tokenF1)) },
    };
  };
  const examples = rows.map((r) => ({ exampleId: r.exampleId, lang: r.lang, ...scored.get(r)! }));
  return { kind: 'extractive-qa', ...assemble(rows, metrics, group), examples };
}

function assemble<Row extends { lang: string }, Counts>(
  rows: readonly Row[],
  metrics: MetricName[],
  group: (these: readonly Row[]) => GroupMetrics<Counts>,
): Omit<ReportOf<never, Counts, never>, 'kind' | 'examples'> {
  const byLanguage = new Map<string, Row[]>();
  for (const row of rows) {
    const these = byLanguage.get(row.lang);
    if (these) these.push(row);
    else byLanguage.set(row.lang, [row]);
  }
  const languages = [...byLanguage.keys()].sort().map((lang) => ({ lang, ...group(byLanguage.get(lang)!) }));
  const macro: Partial<Record<MetricName, MacroAverage>> = {};
  for (const metric of metrics) {
    const defined = languages.map((l) => l.values[metric]).filter((v): v is number => typeof v === 'number');
    macro[metric] = { value: meanOf(defined), languages: defined.length };
  }
  return { metrics, languages, overall: group(rows), macro };
}

/** The arithmetic mean; null for no values. */
function meanOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
