import type { ProjectFile } from '../../../fiat/project/project-file.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useStudio } from '../../state/store.ts';
import { useReplaceProject } from './project-queries.ts';

/** Ask before a project file replaces the current project, its versions and imported datasets. */
export function ConfirmProjectImport({ fileName, file }: { fileName: string; file: ProjectFile }) {
  const closeDialog = useStudio((s) => s.closeDialog);
  const notify = useStudio((s) => s.notify);
  const replace = useReplaceProject();
  return (
    <Dialog title="Import project" onClose={closeDialog}>
      <p>
        Replace the current project with <strong>{fileName}</strong> (exported {new Date(file.exportedAt).toLocaleString()}:{' '}
        {file.project.exemplars.length} exemplars, {file.versions.length} saved versions, {file.datasets.length} imported datasets, {file.reasoningCache.entries.length} cached reasonings)?
        Export the current project first if you want to keep it. The reasonings are added to this browser’s cache.
      </p>
      {replace.isError && <p role="alert">Could not import: {replace.error.message}</p>}
      <div className="row-actions">
        <button
          type="button"
          disabled={replace.isPending}
          onClick={() =>
            replace.mutate(file, {
              onSuccess: () => {
                closeDialog();
                notify({ tone: 'info', message: `Imported project from ${fileName}.` });
              },
            })
          }
        >
          Replace project
        </button>
        <button type="button" onClick={closeDialog}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
