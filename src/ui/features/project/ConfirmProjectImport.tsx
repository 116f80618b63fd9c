import type { ProjectFile } from '../../../fiat/project/project-file.ts';
import { skippedSummary } from '../../../fiat/project/experiments-repair.ts';
import { repairSummary } from '../../../fiat/project/tuning-repair.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useStudio } from '../../state/store.ts';
import { useReplaceProject } from './project-queries.ts';

const exemplarCount = (file: ProjectFile) => Object.values(file.project.tasks).reduce((n, t) => n + t.exemplars.length, 0);

/**
 * Ask before a project file replaces the current project, its versions, imported datasets and tuning runs (its
 * experiments and results are merged in). Says what the file's reading repaired or left out.
 */
export function ConfirmProjectImport({ fileName, file, repaired, skipped }: { fileName: string; file: ProjectFile; repaired: readonly string[]; skipped: readonly string[] }) {
  const closeDialog = useStudio((s) => s.closeDialog);
  const notify = useStudio((s) => s.notify);
  const replace = useReplaceProject();
  return (
    <ConfirmDialog
      title="Import project"
      confirmLabel="Replace project"
      onConfirm={() =>
        replace.mutate(file, {
          onSuccess: () => {
            closeDialog();
            notify({ tone: 'info', message: `Imported project from ${fileName}.` });
          },
        })
      }
      onClose={closeDialog}
      pending={replace.isPending}
      error={replace.error}
      failurePrefix="Could not import"
    >
      <p>
        Replace the current project with <strong>{fileName}</strong> (exported {new Date(file.exportedAt).toLocaleString()}:{' '}
        {Object.keys(file.project.tasks).length} task setups, {exemplarCount(file)} exemplars, {file.versions.length} saved versions, {file.datasets.length} imported datasets, {file.reasoningCache.entries.length} cached reasonings, {file.runs.length} tuning runs, {file.experiments.length} experiments with {file.experimentResults.length}{' '}
        results)? Export the current project first if you want to keep it. The reasonings are added to this browser’s cache; the experiments and their
        results are added to this browser’s, replacing those with the same id or key.
      </p>
      {repaired.length > 0 && <p className="warning-line">{repairSummary('project file', repaired)}</p>}
      {skipped.length > 0 && <p className="warning-line">{skippedSummary(skipped)}</p>}
    </ConfirmDialog>
  );
}
