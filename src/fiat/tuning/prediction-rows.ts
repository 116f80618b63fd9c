import type { MetricsReport } from '../metrics/report.ts';
import type { Example, TaskSpec } from '../task/task.ts';
import type { Evaluation } from './evaluate.ts';

/**
 * An evaluation's predictions joined with the task's examples and the report's per-example scores, one row per
 * prediction in the evaluation's order: what the predictions view lists. Rows whose example the task no longer has
 * (a re-imported dataset) are kept, with the question unknown, so the counts stay those of the report.
 */
export interface LabelProbability {
  readonly value: string;
  readonly verbalizer: string;
  readonly probability: number;
}

interface RowBase {
  readonly exampleId: string;
  readonly lang: string;
  /** The example's question; null when the task has no example with this id. */
  readonly question: string | null;
  readonly correct: boolean;
}

export interface ClassificationRow extends RowBase {
  readonly kind: 'classification';
  /** The chosen label's value; null when the output named no label of the spec. */
  readonly predicted: string | null;
  readonly predictedVerbalizer: string | null;
  readonly gold: string;
  /** Each label's probability, in the spec's label order; empty when the prediction has none. */
  readonly probabilities: readonly LabelProbability[];
}

export interface QaRow extends RowBase {
  readonly kind: 'extractive-qa';
  /** The generated answer; null for "no answer". */
  readonly answer: string | null;
  /** The gold answer; null when the passage has none. */
  readonly gold: string | null;
  readonly exactMatch: 0 | 1;
  readonly tokenF1: number;
}

export type PredictionRow = ClassificationRow | QaRow;

export function predictionRows(evaluation: Evaluation, spec: TaskSpec, examples: readonly Example[]): PredictionRow[] {
  const byId = new Map(examples.map((e) => [e.id, e]));
  const report: MetricsReport = evaluation.report;
  if (report.kind === 'classification') {
    const labels = spec.kind === 'classification' ? spec.labels : [];
    const correctById = new Map(report.examples.map((s) => [s.exampleId, s.correct]));
    return evaluation.predictions.map((p) => {
      const example = byId.get(p.exampleId);
      const chosen = labels.find((l) => l.verbalizer === p.output) ?? null;
      const gold = example?.label ?? '';
      return {
        kind: 'classification',
        exampleId: p.exampleId,
        lang: p.lang,
        question: example?.question ?? null,
        // The report's verdict when it has one: it is what the metrics counted.
        correct: correctById.get(p.exampleId) ?? (chosen !== null && chosen.value === gold),
        predicted: chosen?.value ?? null,
        predictedVerbalizer: p.output,
        gold,
        probabilities: (p.probabilities ?? []).flatMap((probability, i) => {
          const label = labels[i];
          return label ? [{ value: label.value, verbalizer: label.verbalizer, probability }] : [];
        }),
      };
    });
  }
  const scores = new Map(report.examples.map((s) => [s.exampleId, s]));
  return evaluation.predictions.map((p) => {
    const example = byId.get(p.exampleId);
    const score = scores.get(p.exampleId);
    const exactMatch = score?.exactMatch ?? 0;
    return {
      kind: 'extractive-qa',
      exampleId: p.exampleId,
      lang: p.lang,
      question: example?.question ?? null,
      correct: exactMatch === 1,
      answer: p.output,
      gold: example?.answer ?? null,
      exactMatch,
      tokenF1: score?.tokenF1 ?? 0,
    };
  });
}

export type PredictionFilter = { readonly wrongOnly: boolean; readonly lang: string | null };

export function filterPredictionRows(rows: readonly PredictionRow[], filter: PredictionFilter): PredictionRow[] {
  return rows.filter((r) => (!filter.wrongOnly || !r.correct) && (filter.lang === null || r.lang === filter.lang));
}
