import type { Task } from '../../../fiat/task/task.ts';
import { ModelPanel } from '../model/ModelPanel.tsx';
import { RunSection } from './RunSection.tsx';
import { AdapterSection } from './AdapterSection.tsx';
import { EvaluateSection } from './EvaluateSection.tsx';
import { RunEvaluations } from './RunEvaluations.tsx';
import { RunsList } from './RunsList.tsx';
import { TrainingSetSection } from './TrainingSetSection.tsx';

/** The Tuning tab: tuning the small model θ_τ on the task: the model, the training set, the run; one section each. */
export function TuningPanel({ task }: { task: Task }) {
  return (
    <section className="reasoning-panel" aria-labelledby="tuning-panel-heading">
      {/* As on the Reasoning tab: the tab names the panel; the heading keeps the sections' h3 under an h2. */}
      <h2 id="tuning-panel-heading" className="visually-hidden">
        Tuning
      </h2>
      <ModelPanel />
      <TrainingSetSection task={task} />
      <RunSection task={task} />
      <RunsList taskId={task.id} />
      <EvaluateSection task={task} />
      <RunEvaluations task={task} />
      <AdapterSection />
    </section>
  );
}
