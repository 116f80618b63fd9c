import { useId, useState } from 'react';
import { TableScroll } from '../../../components/TableScroll.tsx';
import type { Experiment, QueueItem } from '../../../../fiat/experiments/queue.ts';
import type { Blocked } from '../../../../fiat/experiments/schedule.ts';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';
import { ColumnHeads } from './ColumnHeads.tsx';
import { ACTION_LABELS, itemAction, itemNames, methodName, statusText, summaryLine } from './queue-rows.ts';

export interface QueueListProps {
  experiment: Experiment;
  /** Whether the queue is running now. */
  running: boolean;
  /** The item the queue is running; null when none. */
  currentItemId: string | null;
  /** Pending items that cannot start and why (schedule.ts blockedItems), listed while the queue is not running. */
  blocked: readonly Blocked[];
  onCancel: (id: string) => void;
  /** `force`: compute a finished item again; its new result replaces the old one when it finishes. */
  onRequeue: (id: string, force: boolean) => void;
}

/**
 * An experiment's queue: the summary line, the items that cannot start (before the queue runs), and a table of items
 * with the action each allows. The buttons' accessible names follow queue-rows.ts itemNames ("Cancel FIAT, I_τ
 * current, size 16, seed 1"; "Run again …" ends in "…" as it asks first).
 */
export function QueueList({ experiment, running, currentItemId, blocked, onCancel, onRequeue }: QueueListProps) {
  const headingId = useId();
  const names = itemNames(experiment);
  const nameOf = (id: string) => names.get(id) ?? id;
  const [again, setAgain] = useState<QueueItem | null>(null);
  const shownBlocked = running ? [] : blocked;
  const blockedReason = new Map(shownBlocked.map((b) => [b.itemId, b.reason]));
  const experimentName = experiment.name || 'this experiment';

  return (
    <section className="reasoning-section queue-list" aria-labelledby={headingId}>
      <h3 id={headingId}>Queue of {experimentName}</h3>
      <p role="status">
        {summaryLine(experiment)}
        {running ? ' · running' : ''}
      </p>
      {shownBlocked.length > 0 && (
        <div role="group" aria-label="Runs that cannot start">
          <p>These runs cannot start as things are: when the queue reaches one, it fails with its reason and the queue goes on.</p>
          <ul className="failures">
            {shownBlocked.map((b) => (
              <li key={b.itemId}>
                {nameOf(b.itemId)} ({b.model}): cannot start: {b.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {experiment.items.length === 0 ? (
        <p className="empty">No runs in this experiment.</p>
      ) : (
        <TableScroll label={`Runs of ${experimentName}`}>
          <table className="runs-table">
            <caption className="visually-hidden">Runs of {experimentName}</caption>
            <ColumnHeads names={['Method', 'Model', 'I_τ', 'Size', 'Seed', 'Status', 'Message']} />
            <tbody>
              {experiment.items.map((item) => {
                const now = running && item.id === currentItemId;
                const action = itemAction(item);
                const blockedBy = blockedReason.get(item.id);
                return (
                  <tr key={item.id} aria-current={now ? 'true' : undefined}>
                    <td>{methodName(item.spec.method)}</td>
                    <td>{item.spec.model.label}</td>
                    <td>{item.spec.tau.label}</td>
                    <td>{item.spec.size}</td>
                    <td>{item.spec.seed}</td>
                    <td>{now ? `${statusText(item)} (now)` : statusText(item)}</td>
                    <td>{blockedBy !== undefined ? `cannot start: ${blockedBy}` : (item.message ?? '')}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        aria-label={`${ACTION_LABELS[action]} ${nameOf(item.id)}${action === 'run-again' ? '…' : ''}`}
                        onClick={() => (action === 'cancel' ? onCancel(item.id) : action === 'rerun' ? onRequeue(item.id, false) : setAgain(item))}
                      >
                        {action === 'run-again' ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {again && (
        <ConfirmDialog
          title="Run again"
          confirmLabel="Run again"
          pending={false}
          error={null}
          failurePrefix="Could not queue it"
          onConfirm={() => {
            onRequeue(again.id, true);
            setAgain(null);
          }}
          onClose={() => setAgain(null)}
        >
          <p>
            Compute {nameOf(again.id)} again? Its result stays until the new run finishes; then the new result replaces it, here and in every experiment
            that reused it.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
