import { useMutation } from '@tanstack/react-query';
import { TableScroll } from '../../../components/TableScroll.tsx';
import { useId } from 'react';
import type { Experiment } from '../../../../fiat/experiments/queue.ts';
import { ConfirmDelete, useDeleteQuestion } from '../../../components/ConfirmDelete.tsx';
import { ColumnHeads } from './ColumnHeads.tsx';
import { experimentTitles, newestFirst } from './experiment-titles.ts';
import { summaryLine } from './queue-rows.ts';

export interface ExperimentPickerProps {
  experiments: readonly Experiment[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Deletes the experiment (its items; results stay, by key, for other experiments to reuse). A rejection is shown in the dialog. */
  onDelete: (id: string) => void | Promise<void>;
}

/**
 * The task's experiments, newest first, each with its summary line: Open shows one, Delete asks first. Accessible
 * names: "Open <title>" and "Delete <title>…", where the title (experiment-titles.ts) is unique in the list.
 */
export function ExperimentPicker({ experiments, selectedId, onSelect, onDelete }: ExperimentPickerProps) {
  const headingId = useId();
  const deleting = useDeleteQuestion<Experiment>();
  const remove = useMutation({ mutationFn: async (experiment: Experiment) => onDelete(experiment.id) });
  const sorted = newestFirst(experiments);
  const titles = experimentTitles(sorted);

  return (
    <section className="reasoning-section experiment-picker" aria-labelledby={headingId}>
      <h3 id={headingId}>Experiments</h3>
      {sorted.length === 0 ? (
        <p className="empty">No experiment of this task yet.</p>
      ) : (
        <TableScroll label="Experiments of this task">
          <table className="runs-table">
            <caption className="visually-hidden">Experiments of this task, newest first</caption>
            <ColumnHeads names={['Experiment', 'Created', 'Runs']} />
            <tbody>
              {sorted.map((experiment) => {
                const title = titles.get(experiment.id) ?? experiment.id;
                return (
                  <tr key={experiment.id} aria-current={experiment.id === selectedId ? 'true' : undefined}>
                    <td>{title}</td>
                    <td>{new Date(experiment.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}</td>
                    <td>{summaryLine(experiment)}</td>
                    <td className="row-actions">
                      <button type="button" aria-label={`Open ${title}`} onClick={() => onSelect(experiment.id)}>
                        Open
                      </button>
                      <button type="button" aria-label={`Delete ${title}…`} onClick={() => deleting.ask(experiment)}>
                        Delete…
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      <ConfirmDelete question={deleting} remove={remove} title="Delete an experiment" confirmLabel="Delete experiment">
        {(experiment) => (
          <p>
            Delete {titles.get(experiment.id) ?? 'this experiment'} and its queue ({summaryLine(experiment)})? Finished results stay stored and are reused
            when an identical run is queued again; its tuning runs stay on the Tuning tab.
          </p>
        )}
      </ConfirmDelete>
    </section>
  );
}
