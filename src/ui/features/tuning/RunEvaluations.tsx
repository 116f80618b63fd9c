import { useState } from 'react';
import type { Task } from '../../../fiat/task/task.ts';
import { PredictionsView } from './PredictionsView.tsx';
import { useRunStore } from './run-store.ts';

/**
 * The shown run's evaluations (the run store's run: the one running here or one reopened from the runs list): the
 * latest by default, any earlier step on choice, as its metrics and predictions.
 */
export function RunEvaluations({ task }: { task: Task }) {
  const run = useRunStore((s) => s.run);
  const [chosenStep, setChosenStep] = useState<number | null>(null);
  if (!run || run.taskId !== task.id) return null;
  const evaluations = run.evaluations;
  if (evaluations.length === 0) return <p className="muted">No evaluation of this run yet.</p>;
  const shown = evaluations.find((e) => e.step === chosenStep) ?? evaluations[evaluations.length - 1]!;
  return (
    <section className="reasoning-section run-evaluations" aria-labelledby="run-evaluations-heading">
      <h3 id="run-evaluations-heading">Metrics and predictions · {run.modelLabel}</h3>
      {evaluations.length > 1 && (
        <label>
          Evaluation{' '}
          <select value={shown.step} onChange={(e) => setChosenStep(Number(e.target.value))}>
            {evaluations.map((e) => (
              <option key={e.step} value={e.step}>
                step {e.step}
              </option>
            ))}
          </select>
        </label>
      )}
      <PredictionsView key={`${run.runId} ${shown.step}`} evaluation={shown} task={task} />
    </section>
  );
}
