import { lazy, Suspense } from 'react';
import { useStudio } from '../state/store.ts';

// Dialogs load on first use: they (and the CSV parser) stay out of the initial bundle.
const VersionsDialog = lazy(() => import('../features/editors/VersionsDialog.tsx').then((m) => ({ default: m.VersionsDialog })));
const ImportDatasetDialog = lazy(() => import('../features/import/ImportDatasetDialog.tsx').then((m) => ({ default: m.ImportDatasetDialog })));
const ConfirmDeleteDataset = lazy(() => import('../features/tasks/ConfirmDeleteDataset.tsx').then((m) => ({ default: m.ConfirmDeleteDataset })));
const ProviderDialog = lazy(() => import('../features/provider/ProviderDialog.tsx').then((m) => ({ default: m.ProviderDialog })));
const CacheDialog = lazy(() => import('../features/reasoning/CacheDialog.tsx').then((m) => ({ default: m.CacheDialog })));
const ConfirmProjectImport = lazy(() => import('../features/project/ConfirmProjectImport.tsx').then((m) => ({ default: m.ConfirmProjectImport })));

function OpenDialog() {
  const dialog = useStudio((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'import-dataset':
      return <ImportDatasetDialog />;
    case 'versions':
      return <VersionsDialog key={dialog.role} role={dialog.role} />;
    case 'import-project':
      return <ConfirmProjectImport fileName={dialog.fileName} file={dialog.file} repaired={dialog.repaired} skipped={dialog.skipped} />;
    case 'delete-dataset':
      return <ConfirmDeleteDataset taskId={dialog.taskId} name={dialog.name} />;
    case 'provider':
      return <ProviderDialog />;
    case 'reasoning-cache':
      return <CacheDialog />;
  }
}

/** The one open dialog, if any. */
export function Dialogs() {
  return (
    <Suspense fallback={null}>
      <OpenDialog />
    </Suspense>
  );
}
