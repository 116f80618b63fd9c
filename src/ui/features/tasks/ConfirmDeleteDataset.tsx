import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DEFAULT_TASK_ID, findSampleTask } from '../../../fiat/task/samples.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { repository } from '../../lib/repository.ts';
import { useStudio } from '../../state/store.ts';
import { taskQueries } from './queries.ts';

/** Delete an imported dataset from this browser; the project moves to the default sample task. */
export function ConfirmDeleteDataset({ taskId, name }: { taskId: string; name: string }) {
  const closeDialog = useStudio((s) => s.closeDialog);
  const setTask = useStudio((s) => s.setTask);
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: () => repository.deleteDataset(taskId),
    onSuccess: async () => {
      const fallback = findSampleTask(DEFAULT_TASK_ID);
      if (fallback) setTask(fallback.id, fallback.spec.kind);
      client.removeQueries({ queryKey: taskQueries.detail(taskId).queryKey });
      await client.invalidateQueries({ queryKey: taskQueries.list().queryKey });
      closeDialog();
    },
  });
  return (
    <ConfirmDialog
      title="Delete dataset"
      confirmLabel="Delete dataset"
      onConfirm={() => remove.mutate()}
      onClose={closeDialog}
      pending={remove.isPending}
      error={remove.error}
      failurePrefix="Could not delete"
    >
      <p>
        Delete the imported dataset <strong>{name}</strong> from this browser? Exemplars made from it are kept (they are copies);
        the project switches to a sample task. Export the project first to keep a copy of the dataset.
      </p>
    </ConfirmDialog>
  );
}
