import { useStudio } from '../state/store.ts';

const TEXT = { idle: 'Saved in this browser', pending: 'Unsaved changes…', saving: 'Saving…', saved: 'Saved', failed: 'Save failed' } as const;

/** Autosave status of the project (IndexedDB). */
export function SaveStatus() {
  const save = useStudio((s) => s.save);
  return (
    <p className={`save-status save-${save.status}`} role="status" aria-label="Save status" title={save.error ?? undefined}>
      {TEXT[save.status]}
      {save.status === 'failed' && save.error ? `: ${save.error}` : ''}
    </p>
  );
}
