import type { TaskInfo } from '../../../fiat/task/task.ts';

/** The current task's source, licence and citation (the sample data's terms require it be shown). */
export function TaskAttribution({ task }: { task: TaskInfo | undefined }) {
  if (!task) return <footer className="attribution" />;
  const { attribution } = task;
  return (
    <footer className="attribution" aria-label="Task information">
      <strong>{task.name}</strong>
      <span>{task.description}</span>
      <span>
        <em>Metrics:</em> {task.metrics.join(', ')}
      </span>
      <span>
        <em>Source:</em> {attribution.source}
      </span>
      <span>
        <em>Licence:</em> {attribution.licence}
      </span>
      {attribution.citation && (
        <span>
          <em>Cite:</em> {attribution.citation}
        </span>
      )}
    </footer>
  );
}
