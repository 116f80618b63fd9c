import { isSampleTaskId } from '../../../fiat/task/samples.ts';
import type { TaskInfo } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';

/** The current task's source, licence and citation (the sample data's terms require it be shown). */
export function TaskAttribution({ task }: { task: TaskInfo | undefined }) {
  const openDialog = useStudio((s) => s.openDialog);
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
      {!isSampleTaskId(task.id) && (
        <button type="button" className="link-button" onClick={() => openDialog({ kind: 'delete-dataset', taskId: task.id, name: task.name })}>
          Delete this dataset…
        </button>
      )}
    </footer>
  );
}
