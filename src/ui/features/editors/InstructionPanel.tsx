import { useCallback } from 'react';
import { type InstructionRole, ROLE_NAMES } from '../../../fiat/template/variables.ts';
import type { TaskKind } from '../../../fiat/task/task.ts';
import { LazyTemplateEditor } from '../../components/monaco/lazy.tsx';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { DiagnosticsList } from './DiagnosticsList.tsx';
import { useDiagnostics } from './useDiagnostics.ts';

const DESCRIPTION: Record<InstructionRole, string> = {
  beta: 'Instruction for the large model: makes it write chain-of-thought reasoning (few-shot via {{exemplars}}).',
  tau: "Instruction for the small model, which is tuned on it: receives the large model's {{reasoning}}.",
};

export const editorLabel = (role: InstructionRole) => `${ROLE_NAMES[role]} instruction`;

/** One instruction: header with its version actions, the Monaco editor, and its problem list. */
export function InstructionPanel({ role, kind }: { role: InstructionRole; kind: TaskKind }) {
  const value = useTaskSetup((t) => t.instructions[role]);
  const setInstruction = useStudio((s) => s.setInstruction);
  const openDialog = useStudio((s) => s.openDialog);
  const diagnostics = useDiagnostics(role, kind);
  const onChange = useCallback((text: string) => setInstruction(role, text), [setInstruction, role]);
  const openVersions = useCallback(() => openDialog({ kind: 'versions', role }), [openDialog, role]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const headingId = `instruction-${role}-heading`;

  return (
    <section className="instruction-panel" aria-labelledby={headingId}>
      <header className="panel-header">
        <div>
          <h2 id={headingId}>{editorLabel(role)}</h2>
          <p className="panel-hint">{DESCRIPTION[role]}</p>
        </div>
        <div className="panel-actions">
          <span className={errors > 0 ? 'badge badge-error' : 'badge'} role="group" aria-label={`${errors} errors in ${ROLE_NAMES[role]}`}>
            {errors} {errors === 1 ? 'error' : 'errors'}
          </span>
          <button type="button" onClick={openVersions} title="Save, compare and restore versions (Ctrl+S in the editor)">
            Versions…
          </button>
        </div>
      </header>
      <div className="editor-host">
        <LazyTemplateEditor
          role={role}
          kind={kind}
          value={value}
          onChange={onChange}
          diagnostics={diagnostics}
          ariaLabel={editorLabel(role)}
          onSaveShortcut={openVersions}
        />
      </div>
      <DiagnosticsList diagnostics={diagnostics} label={`Problems in ${ROLE_NAMES[role]}`} />
    </section>
  );
}
