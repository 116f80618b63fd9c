import type { ReactNode } from 'react';
import { Dialog } from './Dialog.tsx';

interface ConfirmDialogProps {
  title: string;
  /** The question: what confirming does, and what the user can do first to keep what it replaces. */
  children: ReactNode;
  /** The confirming button's text, naming the action ("Delete dataset"). */
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  /** While the action runs the confirming button is disabled (no second run). */
  pending: boolean;
  /** The last attempt's failure, shown as "<failurePrefix>: <message>"; the dialog stays open to retry or cancel. */
  error: Error | null;
  failurePrefix: string;
}

/** Ask before an action that replaces or deletes what the user has: confirm or cancel, and the failure if it failed. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose, pending, error, failurePrefix }: ConfirmDialogProps) {
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      {error && (
        <p role="alert">
          {failurePrefix}: {error.message}
        </p>
      )}
      <div className="row-actions">
        <button type="button" disabled={pending} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
