import { classificationReport, positiveLabelOf, qaReport } from '../metrics/report.ts';
import type { ReasoningPrediction } from '../reasoning/agreement.ts';
import type { Example, TaskSpec } from '../task/task.ts';
import type { Evaluation } from '../tuning/evaluate.ts';

/**
 * The ICL baseline's evaluation: θ_β's parsed answers (fiat/reasoning agreement's `predictFromReasoning` over the cached
 * ŷ_β, the paper's few-shot ICL rows) scored by fiat/metrics like any run's predictions, so the tables compare like
 * with like. What the driver's `answerWithoutTraining` returns, given where the answers come from.
 * - classification: the label the answer names; no label (unparsed, or no reasoning) counts as wrong. Text answers
 *   have no probabilities, so AUC-PR is undefined (null), as in the paper's Table 2.
 * - extractive QA: the normalised span; no answer, an unparsed answer and a missing reasoning all read as "no
 *   answer" (right only where the gold has none), as an empty output of a tuned model would.
 */
export function iclEvaluation(spec: TaskSpec, examples: readonly Example[], predictionOf: (example: Example) => ReasoningPrediction | null): Evaluation {
  if (spec.kind === 'classification') {
    const rows = examples.map((example) => {
      const prediction = predictionOf(example);
      const named = prediction?.kind === 'classification' && prediction.label !== null ? String(prediction.label) : null;
      const label = spec.labels.find((l) => l.value === named) ?? null;
      return { example, label };
    });
    return {
      report: classificationReport(
        rows.map(({ example, label }) => ({ exampleId: example.id, lang: example.lang, gold: example.label ?? '', prediction: { label: label?.value ?? null, positiveProbability: null } })),
        positiveLabelOf(spec),
      ),
      predictions: rows.map(({ example, label }) => ({ exampleId: example.id, lang: example.lang, output: label?.verbalizer ?? null })),
    };
  }
  const rows = examples.map((example) => {
    const prediction = predictionOf(example);
    return { example, answer: prediction?.kind === 'extractive-qa' ? prediction.text : null };
  });
  return {
    report: qaReport(rows.map(({ example, answer }) => ({ exampleId: example.id, lang: example.lang, gold: example.answer, prediction: answer }))),
    predictions: rows.map(({ example, answer }) => ({ exampleId: example.id, lang: example.lang, output: answer })),
  };
}
