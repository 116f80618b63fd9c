// Shared by the experiments' tests: a small grid, and evaluations made by fiat/metrics from hand-written predictions.
import { classificationReport, type ClassificationPrediction } from '../../../../src/fiat/metrics/report.ts';
import type { StepEvaluation } from '../../../../src/fiat/experiments/queue.ts';
import type { ExperimentGrid, MethodTraits } from '../../../../src/fiat/experiments/spec.ts';
import type { Evaluation } from '../../../../src/fiat/tuning/evaluate.ts';

export const traitsOf = (method: string): MethodTraits => ({ trains: method !== 'icl', usesBaseCheckpoint: method === 'base-model' });

export const demo = { repo: 'fiat-studio/demo', revision: 'abc123', label: 'fiat-studio/demo@abc123' };

export function grid(overrides: Partial<ExperimentGrid> = {}): ExperimentGrid {
  return {
    methods: ['icl', 'fiat'],
    models: [{ model: demo, baseCheckpoint: null }],
    tauVersions: [{ label: 'v1', text: 'Answer {{question}} with {{reasoning}}' }],
    sizes: [100],
    seeds: [0, 1],
    dataHash: 'data-1',
    settings: { steps: 20, lr: 1e-3 },
    ...overrides,
  };
}

/**
 * A classification evaluation: one example per row, gold '1' (positive) unless `negative`, positive probability `p`
 * (null: unscored, as ICL's text answers; default 0.9 for a predicted positive, 0.1 otherwise).
 */
export function evaluation(rows: readonly { id: string; lang: string; correct: boolean; negative?: boolean; p?: number | null }[]): Evaluation {
  const predictions: ClassificationPrediction[] = rows.map((r) => {
    const gold = r.negative ? '0' : '1';
    const label = r.correct ? gold : gold === '1' ? '0' : '1';
    return { exampleId: r.id, lang: r.lang, gold, prediction: { label, positiveProbability: r.p === undefined ? (label === '1' ? 0.9 : 0.1) : r.p } };
  });
  return {
    report: classificationReport(predictions, '1'),
    predictions: predictions.map((p) => ({ exampleId: p.exampleId, lang: p.lang, output: p.prediction.label === '1' ? 'supported' : 'not supported' })),
  };
}

/** Accuracy `right` of `of` in one language 'fi' (ids e0..). */
export function accuracyEvaluation(right: number, of: number, lang = 'fi'): Evaluation {
  return evaluation(Array.from({ length: of }, (_, i) => ({ id: `e${i}`, lang, correct: i < right })));
}

export const final = (evaluation: Evaluation, step = 20): StepEvaluation[] => [{ step, evaluation }];

/** Right answers per language, e.g. { fi: [2, 2], ja: [1, 4] }: 2 of 2 right in fi, 1 of 4 in ja. */
export function byLanguage(counts: Record<string, [right: number, of: number]>, scored = true): Evaluation {
  return evaluation(
    Object.entries(counts).flatMap(([lang, [right, of]]) =>
      Array.from({ length: of }, (_, i) => ({ id: `${lang}${i}`, lang, correct: i < right, ...(scored ? {} : { p: null }) })),
    ),
  );
}
