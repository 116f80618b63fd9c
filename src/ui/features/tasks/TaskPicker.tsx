import { useQuery } from '@tanstack/react-query';
import { useStudio } from '../../state/store.ts';
import { taskQueries } from './queries.ts';

/** Choose the task: the three samples and the datasets imported into this browser. */
export function TaskPicker() {
  const taskId = useStudio((s) => s.project.taskId);
  const setTask = useStudio((s) => s.setTask);
  const tasks = useQuery(taskQueries.list());
  const list = tasks.data ?? [];
  const samples = list.filter((t) => t.id.startsWith('sample:'));
  const imported = list.filter((t) => !t.id.startsWith('sample:'));
  return (
    <label className="task-picker">
      Task
      <select
        value={taskId}
        disabled={!tasks.isSuccess}
        onChange={(e) => {
          const task = list.find((t) => t.id === e.target.value);
          if (task) setTask(task.id, task.spec.kind);
        }}
      >
        {!list.some((t) => t.id === taskId) && <option value={taskId}>{tasks.isPending ? 'Loading…' : taskId}</option>}
        <optgroup label="Sample tasks">
          {samples.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </optgroup>
        {imported.length > 0 && (
          <optgroup label="Imported datasets">
            {imported.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </optgroup>
        )}
      </select>
    </label>
  );
}
