import { useEffect } from 'react';
import type { Task } from '../../../fiat/task/task.ts';
import { useFilteredExamples } from '../../state/filtered-examples.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskAgreements } from '../reasoning/useTaskReasoning.ts';
import { ExampleDetail } from './ExampleDetail.tsx';
import { ExampleFilters } from './ExampleFilters.tsx';
import { ExampleList } from './ExampleList.tsx';
import { useSelectedExample } from './useSelectedExample.ts';

/** Left pane: filter, search and pick an example of the current task (`switching`: the task shown is
 * the previous one while the chosen one loads). */
export function ExampleBrowser({ task, switching }: { task: Task; switching: boolean }) {
  const filtered = useFilteredExamples(task);
  const selected = useSelectedExample(task);
  const selectedId = useStudio((s) => s.project.settings.selectedExampleId);
  const selectExample = useStudio((s) => s.selectExample);
  const { agreements } = useTaskAgreements(task);

  // A project always previews some example: the first one when none (or a stale id) is selected.
  useEffect(() => {
    if (!switching && selected === undefined && filtered[0]) selectExample(filtered[0].id);
  }, [switching, selected, filtered, selectExample]);

  return (
    <section className="example-browser" aria-label="Example browser">
      <ExampleFilters task={task} />
      <p className="count" role="status" aria-label="Example count">
        {filtered.length.toLocaleString()} of {task.examples.length.toLocaleString()} examples
      </p>
      <ExampleList examples={filtered} spec={task.spec} selectedId={selectedId} agreements={agreements} />
      <ExampleDetail task={task} example={selected} />
    </section>
  );
}
