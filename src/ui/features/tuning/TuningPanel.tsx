import type { Task } from '../../../fiat/task/task.ts';
import { TrainingSetSection } from './TrainingSetSection.tsx';

/**
 * The Tuning tab: tuning the small model θ_τ on the task. For now its training set (what the examples turn into
 * and their length budget); the training run joins it here.
 */
export function TuningPanel({ task }: { task: Task }) {
  return (
    <section className="reasoning-panel" aria-labelledby="tuning-panel-heading">
      {/* As on the Reasoning tab: the tab names the panel; the heading keeps the sections' h3 under an h2. */}
      <h2 id="tuning-panel-heading" className="visually-hidden">
        Tuning
      </h2>
      <TrainingSetSection task={task} />
    </section>
  );
}
