import { exemplarFromExample } from '../../../fiat/exemplars/exemplars.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { newId } from '../../lib/ids.ts';
import { useStudio } from '../../state/store.ts';
import { taskIndex } from '../../state/task-index.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { useSelectedExample } from '../examples/useSelectedExample.ts';
import { ExemplarCard } from './ExemplarCard.tsx';

/** I_β's few-shot exemplars: add the selected example, write its reasoning, order and scope them. */
export function ExemplarsPanel({ task }: { task: Task }) {
  const exemplars = useTaskSetup((t) => t.exemplars);
  const addExemplar = useStudio((s) => s.addExemplar);
  const selected = useSelectedExample(task);
  const { languages } = taskIndex(task.examples);
  const already = selected !== undefined && exemplars.some((e) => e.exampleId === selected.id);
  return (
    <section className="exemplars-panel" aria-label="Exemplars">
      <header className="panel-header">
        <div>
          <h2>Few-shot exemplars for I_β</h2>
          <p className="panel-hint">
            Rendered into {'{{exemplars}}'}: for each example, the exemplars for its language and those for every language, in
            this order (never the example itself).
          </p>
        </div>
        <button type="button" disabled={!selected || already} onClick={() => selected && addExemplar(exemplarFromExample(selected, task.spec, newId('exemplar-')))}>
          Add selected example
        </button>
      </header>
      {exemplars.length === 0 ? (
        <p className="empty">No exemplars yet. Select an example on the left and add it, then write its reasoning.</p>
      ) : (
        <ol className="exemplar-list">
          {exemplars.map((e, i) => (
            <ExemplarCard key={e.id} exemplar={e} position={i} count={exemplars.length} spec={task.spec} languages={languages} />
          ))}
        </ol>
      )}
    </section>
  );
}
