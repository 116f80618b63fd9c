import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { InstructionVersion } from '../../../fiat/project/versions.ts';
import { type InstructionRole, ROLE_NAMES } from '../../../fiat/template/variables.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { LazyTemplateDiffEditor } from '../../components/monaco/lazy.tsx';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { useDeleteVersion, useSaveVersion, versionQueries } from './versions-queries.ts';

const CURRENT = 'current';
const when = (ms: number) => new Date(ms).toLocaleString();

/** Save, list, compare (Monaco diff) and restore named versions of one instruction of the chosen task. */
export function VersionsDialog({ role }: { role: InstructionRole }) {
  const name = ROLE_NAMES[role];
  const current = useTaskSetup((t) => t.instructions[role]);
  const taskId = useStudio((s) => s.project.taskId);
  const setInstruction = useStudio((s) => s.setInstruction);
  const closeDialog = useStudio((s) => s.closeDialog);
  const versions = useQuery(versionQueries.list(taskId, role));
  const save = useSaveVersion(taskId, role);
  const remove = useDeleteVersion(taskId, role);
  const [versionName, setVersionName] = useState('');
  const [original, setOriginal] = useState<string | null>(null);
  const [modified, setModified] = useState<string>(CURRENT);
  const [restored, setRestored] = useState<string | null>(null);

  const list = versions.data ?? [];
  const textOf = (id: string | null) => (id === CURRENT ? current : (list.find((v) => v.id === id)?.text ?? ''));
  const compareFrom = original ?? list[0]?.id ?? null;

  const onSave = (event: FormEvent) => {
    event.preventDefault();
    if (versionName.trim() === '') return;
    save.mutate({ name: versionName, text: current }, { onSuccess: () => setVersionName('') });
  };
  const restore = (version: InstructionVersion) => {
    setInstruction(role, version.text);
    setRestored(version.name);
  };

  return (
    <Dialog title={`Versions of ${name}`} onClose={closeDialog} wide>
      <form className="inline-form" onSubmit={onSave}>
        <label>
          Version name
          <input value={versionName} onChange={(e) => setVersionName(e.target.value)} placeholder="e.g. terse, with CoT hint" required />
        </label>
        <button type="submit" disabled={save.isPending || versionName.trim() === ''}>
          Save current {name} as version
        </button>
      </form>
      {save.isError && <p role="alert">Could not save the version: {save.error.message}</p>}
      {restored !== null && <p role="status">Restored “{restored}” into the {name} editor.</p>}
      {versions.isPending && <p>Loading versions…</p>}
      {versions.isError && <p role="alert">Could not read versions: {versions.error.message}</p>}
      {versions.isSuccess && list.length === 0 && <p className="empty">No saved versions of {name} yet.</p>}
      {list.length > 0 && (
        <table className="versions-table" aria-label={`Saved versions of ${name}`}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Saved</th>
              <th scope="col">Characters</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.id}>
                <th scope="row">{v.name}</th>
                <td>{when(v.createdAt)}</td>
                <td>{v.text.length}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => restore(v)} aria-label={`Restore ${v.name}`}>
                    Restore
                  </button>
                  <button type="button" onClick={() => { setOriginal(v.id); setModified(CURRENT); }} aria-label={`Compare ${v.name} with current`}>
                    Compare with current
                  </button>
                  <button type="button" onClick={() => remove.mutate(v.id)} aria-label={`Delete ${v.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.length > 0 && compareFrom !== null && (
        <section className="diff-section" aria-label="Compare versions">
          <div className="diff-pickers">
            <label>
              Original
              <select value={compareFrom} onChange={(e) => setOriginal(e.target.value)}>
                {list.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
                <option value={CURRENT}>Current text</option>
              </select>
            </label>
            <label>
              Modified
              <select value={modified} onChange={(e) => setModified(e.target.value)}>
                <option value={CURRENT}>Current text</option>
                {list.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
              </select>
            </label>
          </div>
          <div className="diff-host">
            <LazyTemplateDiffEditor original={textOf(compareFrom)} modified={textOf(modified)} ariaLabel={`Diff of ${name} versions`} />
          </div>
        </section>
      )}
    </Dialog>
  );
}
