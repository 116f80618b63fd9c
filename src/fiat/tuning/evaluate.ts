import type { Engine, InferenceAdapter } from '../../engine/engine.ts';
import { classificationReport, positiveLabelOf, qaReport, type ClassificationPrediction, type MetricsReport, type QaPrediction } from '../metrics/report.ts';
import { qaPredictionOf } from '../metrics/squad.ts';
import type { Example, TaskSpec } from '../task/task.ts';

/**
 * The tuned small model's predictions on a set of examples, and the task's metrics over them (fiat/metrics): how a
 * run is evaluated at its steps, and how any split is evaluated after. The prompts are the caller's, made by the same
 * assembly as the training prompts (fiat/training-set), so the model is asked what it was tuned on.
 * - classification: every label's verbalizer scored as the completion (engine.scoreLabels: P(verbalizer, EOS |
 *   prompt), normalised over the labels); the prediction is the most probable label, the positive label's
 *   probability feeds AUC-PR;
 * - extractive QA: a greedy generation, up to `maxNewTokens` and the first line; the task's no-answer text (or
 *   nothing) is "no answer".
 */
export interface EvaluationExample {
  readonly example: Example;
  /** The model's input, as training formats it (chat template applied when the run uses it). */
  readonly prompt: string;
}

export interface ExamplePrediction {
  readonly exampleId: string;
  readonly lang: string;
  /** What the model answered: the chosen label's verbalizer, or the generated answer (null: no answer). */
  readonly output: string | null;
  /** Classification: each label's probability, in the spec's label order. */
  readonly probabilities?: readonly number[];
}

export interface Evaluation {
  readonly report: MetricsReport;
  readonly predictions: readonly ExamplePrediction[];
}

export interface EvaluateOptions {
  readonly adapter?: InferenceAdapter;
  readonly signal?: AbortSignal;
  /** QA answers' longest generation; default 48 tokens. */
  readonly maxNewTokens?: number;
  /** Examples done so far, of all. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Rows per scoring run. */
  readonly batchSize?: number;
  /**
   * Classification: the completions scored for the labels, in the spec's order, as training formats them (a chat
   * template may put text around the verbalizer); default the verbalizers.
   */
  readonly labelCompletions?: readonly string[];
}

/** Prompts per scoreLabels call: progress between calls, and cancellation. */
const SCORE_SLICE = 32;

export async function evaluateExamples(engine: Pick<Engine, 'scoreLabels' | 'generate'>, spec: TaskSpec, examples: readonly EvaluationExample[], options: EvaluateOptions = {}): Promise<Evaluation> {
  const adapter = options.adapter ? { adapter: options.adapter } : {};
  if (spec.kind === 'classification') {
    const labels = spec.labels;
    const positive = positiveLabelOf(spec);
    const positiveIndex = positive === null ? -1 : labels.findIndex((l) => l.value === positive);
    const rows: ClassificationPrediction[] = [];
    const predictions: ExamplePrediction[] = [];
    for (let start = 0; start < examples.length; start += SCORE_SLICE) {
      const slice = examples.slice(start, start + SCORE_SLICE);
      const scores = await engine.scoreLabels(
        { prompts: slice.map((e) => e.prompt), labels: options.labelCompletions ? [...options.labelCompletions] : labels.map((l) => l.verbalizer), ...adapter, ...(options.batchSize ? { batchSize: options.batchSize } : {}) },
        options.signal ? { signal: options.signal } : {},
      );
      slice.forEach(({ example }, i) => {
        const s = scores[i]!;
        const chosen = labels[s.best]!;
        rows.push({
          exampleId: example.id,
          lang: example.lang,
          gold: example.label ?? '',
          prediction: { label: chosen.value, positiveProbability: positiveIndex < 0 ? null : s.probabilities[positiveIndex]! },
        });
        predictions.push({ exampleId: example.id, lang: example.lang, output: chosen.verbalizer, probabilities: s.probabilities });
      });
      options.onProgress?.(Math.min(start + SCORE_SLICE, examples.length), examples.length);
    }
    return { report: classificationReport(rows, positive), predictions };
  }
  const rows: QaPrediction[] = [];
  const predictions: ExamplePrediction[] = [];
  for (const [i, { example, prompt }] of examples.entries()) {
    const out = await engine.generate(
      { prompt: { text: prompt }, maxNewTokens: options.maxNewTokens ?? 48, stop: ['\n'], ...adapter },
      options.signal ? { signal: options.signal } : {},
    );
    const answer = qaPredictionOf(out.text.trim(), spec.noAnswer);
    rows.push({ exampleId: example.id, lang: example.lang, gold: example.answer, prediction: answer });
    predictions.push({ exampleId: example.id, lang: example.lang, output: answer });
    options.onProgress?.(i + 1, examples.length);
  }
  return { report: qaReport(rows), predictions };
}
