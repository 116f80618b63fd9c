import type { Task } from '../../../fiat/task/task.ts';
import { evaluationKey, evaluationTitle, notEvaluatedText } from '../../../fiat/tuning/evaluation-record.ts';
import { PredictionsView } from './PredictionsView.tsx';
import { useRunStore } from './run-store.ts';

/**
 * The shown run's evaluations (the run store's run: the one running here or one reopened from the runs list): the
 * latest by default, any other on choice (its own at each step, and those made after it by the Evaluate section,
 * named by split and model state), as its metrics and predictions.
 */
export function RunEvaluations({ task }: { task: Task }) {
  const run = useRunStore((s) => s.run);
  const chosen = useRunStore((s) => s.chosenEvaluation);
  const choose = useRunStore((s) => s.chooseEvaluation);
  if (!run || run.taskId !== task.id) return null;
  const evaluations = run.evaluations;
  if (evaluations.length === 0) return <p className="muted">No evaluation of this run yet.</p>;
  const shown = evaluations.find((e) => evaluationKey(e) === chosen) ?? evaluations[evaluations.length - 1]!;
  const notEvaluated = shown.tag ? notEvaluatedText(shown.tag) : null;
  return (
    <section className="reasoning-section run-evaluations" aria-labelledby="run-evaluations-heading">
      <h3 id="run-evaluations-heading">Metrics and predictions · {run.modelLabel}</h3>
      {evaluations.length > 1 && (
        <label>
          Evaluation{' '}
          <select value={evaluationKey(shown)} onChange={(e) => choose(e.target.value)}>
            {evaluations.map((e) => (
              <option key={evaluationKey(e)} value={evaluationKey(e)}>
                {evaluationTitle(e).option}
              </option>
            ))}
          </select>
        </label>
      )}
      {notEvaluated && <p className="muted">{notEvaluated}</p>}
      <PredictionsView key={`${run.runId} ${evaluationKey(shown)}`} evaluation={shown} task={task} />
    </section>
  );
}
