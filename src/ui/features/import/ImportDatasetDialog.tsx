import { useMemo, useState } from 'react';
import type { ImportOutcome } from '../../../fiat/dataset/import.ts';
import { formatBytes, MAX_IMPORT_BYTES } from '../../../fiat/dataset/read.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useStudio } from '../../state/store.ts';
import { useReadDatasetFile, useSaveImportedTask } from './import-queries.ts';
import { initialChoices } from './initial-choices.ts';
import { IssueList } from './IssueList.tsx';
import { MappingStep } from './MappingStep.tsx';

/**
 * Import a dataset: choose a JSONL or CSV file, map its columns, import the good rows as a new task.
 * A file that cannot be read gets one message and changes nothing.
 */
export function ImportDatasetDialog() {
  const closeDialog = useStudio((s) => s.closeDialog);
  const read = useReadDatasetFile();
  const save = useSaveImportedTask();
  const [done, setDone] = useState<ImportOutcome | null>(null);
  // Once per file read: the first guess counts the label column's values over every row.
  const initial = useMemo(() => read.data && initialChoices(read.data.fileName, read.data.parsed), [read.data]);

  return (
    <Dialog title="Import a dataset" onClose={closeDialog} wide>
      {done ? (
        <section aria-label="Import result">
          <p role="status">
            Imported {done.task.examples.length.toLocaleString()} examples as “{done.task.name}”; it is now the current task.
          </p>
          <IssueList issues={done.issues} />
          <button type="button" onClick={closeDialog}>
            Done
          </button>
        </section>
      ) : (
        <>
          <label className="stacked">
            Dataset file (JSON Lines or CSV with a header row, up to {formatBytes(MAX_IMPORT_BYTES)})
            <input
              type="file"
              accept=".jsonl,.json,.ndjson,.csv,.tsv,.txt,application/json,text/csv"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) read.mutate(file);
              }}
            />
          </label>
          {read.isPending && <p role="status">Reading the file…</p>}
          {read.isError && (
            <p role="alert" className="error-message">
              {read.error.message}
            </p>
          )}
          {read.isSuccess && initial && (
            <MappingStep
              key={read.data.id}
              file={read.data}
              initial={initial}
              saving={save.isPending}
              onImport={(outcome) => save.mutate(outcome.task, { onSuccess: () => setDone(outcome) })}
            />
          )}
          {save.isError && <p role="alert">Could not store the dataset: {save.error.message}</p>}
        </>
      )}
    </Dialog>
  );
}
