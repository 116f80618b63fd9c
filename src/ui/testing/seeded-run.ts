import { classificationReport, positiveLabelOf, qaReport } from '../../fiat/metrics/report.ts';
import type { StoredRun } from '../../fiat/storage/tuning-repository.ts';
import type { Task } from '../../fiat/task/task.ts';
import type { Evaluation, ExamplePrediction } from '../../fiat/tuning/evaluate.ts';

/**
 * A finished run of `task` with one evaluation on its first `count` validation examples, made without a model: the
 * even-numbered ones predicted right, the odd-numbered wrong (another label, or "no answer" / a wrong span). For e2e
 * tests of the runs list, the predictions view and project exports, where what is wrong must be known beforehand.
 */
export function seededRun(task: Task, id: string, count: number, createdAt: number): StoredRun {
  const examples = task.examples.filter((e) => e.split === 'validation').slice(0, count);
  let evaluation: Evaluation;
  const spec = task.spec;
  if (spec.kind === 'classification') {
    const positive = positiveLabelOf(spec);
    const predictions: ExamplePrediction[] = [];
    const rows = examples.map((e, i) => {
      const goldIndex = Math.max(0, spec.labels.findIndex((l) => l.value === e.label));
      const chosen = i % 2 === 0 ? goldIndex : (goldIndex + 1) % spec.labels.length;
      const probabilities = spec.labels.map((_, j) => (j === chosen ? 0.8 : 0.2 / (spec.labels.length - 1)));
      predictions.push({ exampleId: e.id, lang: e.lang, output: spec.labels[chosen]!.verbalizer, probabilities });
      const positiveIndex = spec.labels.findIndex((l) => l.value === positive);
      return { exampleId: e.id, lang: e.lang, gold: e.label ?? '', prediction: { label: spec.labels[chosen]!.value, positiveProbability: positiveIndex < 0 ? null : probabilities[positiveIndex]! } };
    });
    evaluation = { report: classificationReport(rows, positive), predictions };
  } else {
    const answers = examples.map((e, i) => (i % 2 === 0 ? e.answer : e.answer === null ? 'a wrong span' : null));
    const report = qaReport(examples.map((e, i) => ({ exampleId: e.id, lang: e.lang, gold: e.answer, prediction: answers[i]! })));
    evaluation = { report, predictions: examples.map((e, i) => ({ exampleId: e.id, lang: e.lang, output: answers[i]! })) };
  }
  return {
    id, taskId: task.id, createdAt, updatedAt: createdAt,
    model: { label: 'fiat-studio/demo@main', repo: 'fiat-studio/demo', revision: 'main' },
    settings: { ep: 'wasm', steps: 4, rank: 8 },
    tauVersion: 'seeded', dataHash: 'seeded', status: 'done', step: 4, totalSteps: 4,
    losses: [{ step: 1, loss: 2.5 }, { step: 2, loss: 2 }, { step: 3, loss: 1.75 }, { step: 4, loss: 1.5 }],
    evaluations: [{ step: 4, result: evaluation }],
  };
}
