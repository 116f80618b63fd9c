import { useStudio } from '../state/store.ts';
import { VersionsDialog } from '../features/editors/VersionsDialog.tsx';
import { ImportDatasetDialog } from '../features/import/ImportDatasetDialog.tsx';
import { ConfirmProjectImport } from '../features/project/ConfirmProjectImport.tsx';

/** The one open dialog, if any. */
export function Dialogs() {
  const dialog = useStudio((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'import-dataset':
      return <ImportDatasetDialog />;
    case 'versions':
      return <VersionsDialog key={dialog.role} role={dialog.role} />;
    case 'import-project':
      return <ConfirmProjectImport fileName={dialog.fileName} file={dialog.file} />;
  }
}
