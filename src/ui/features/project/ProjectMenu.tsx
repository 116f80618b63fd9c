import { useRef } from 'react';
import { useStudio } from '../../state/store.ts';
import { useExportProject, useReadProjectFile } from './project-queries.ts';

/** Header actions: import a dataset, export the project, import a project file. */
export function ProjectMenu() {
  const openDialog = useStudio((s) => s.openDialog);
  const notify = useStudio((s) => s.notify);
  const exportProject = useExportProject();
  const readProject = useReadProjectFile();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="project-menu">
      <button type="button" onClick={() => openDialog({ kind: 'import-dataset' })}>
        Import dataset…
      </button>
      <button
        type="button"
        onClick={() =>
          exportProject.mutate(undefined, {
            onError: (error) => notify({ tone: 'error', message: `Export failed: ${error.message}` }),
          })
        }
      >
        Export project
      </button>
      <button type="button" onClick={() => input.current?.click()}>
        Import project…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        aria-label="Project file to import"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          readProject.mutate(file, {
            onSuccess: (read) => openDialog({ kind: 'import-project', ...read }),
            onError: (error) =>
              notify({ tone: 'error', message: `Project not imported: ${error.message} Your current project is unchanged.` }),
          });
        }}
      />
    </div>
  );
}
