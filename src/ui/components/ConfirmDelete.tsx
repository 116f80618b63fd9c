import type { UseMutationResult } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/** Which item of a list the user asked to delete (null: none), and how to ask and stop asking. */
export interface DeleteQuestion<T> {
  item: T | null;
  ask: (item: T) => void;
  close: () => void;
}

/** The state of a list's "Delete…" question: one item at a time. */
export function useDeleteQuestion<T extends object>(): DeleteQuestion<T> {
  const [item, setItem] = useState<T | null>(null);
  return { item, ask: setItem, close: () => setItem(null) };
}

interface ConfirmDeleteProps<T> {
  question: DeleteQuestion<T>;
  /** Deletes an item. The dialog closes when it succeeds; a failure is shown in it, to retry or cancel (which clears it). */
  remove: UseMutationResult<unknown, Error, T>;
  title: string;
  /** The confirming button's text ("Delete run"). */
  confirmLabel: string;
  /** What deleting this item loses, and what to do first to keep it. */
  children: (item: T) => ReactNode;
}

/**
 * The confirmation before deleting one item of a list (a run, a cached model): nothing shows until an item is asked
 * about. One place for the close-on-success and reset-on-cancel rules, so every list's delete behaves alike.
 */
export function ConfirmDelete<T>({ question, remove, title, confirmLabel, children }: ConfirmDeleteProps<T>) {
  const { item } = question;
  if (item === null) return null;
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      onConfirm={() => remove.mutate(item, { onSuccess: question.close })}
      onClose={() => {
        question.close();
        remove.reset();
      }}
      pending={remove.isPending}
      error={remove.error}
      failurePrefix="Could not delete it"
    >
      {children(item)}
    </ConfirmDialog>
  );
}
