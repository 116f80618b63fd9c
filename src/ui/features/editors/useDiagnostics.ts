import { useMemo } from 'react';
import { lintTemplate, type TemplateDiagnostic } from '../../../fiat/template/lint.ts';
import { parseTemplateCached } from '../../../fiat/template/parse.ts';
import type { InstructionRole } from '../../../fiat/template/variables.ts';
import type { TaskKind } from '../../../fiat/task/task.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';

/** The linter's diagnostics for an instruction, recomputed when its text or context changes. */
export function useDiagnostics(role: InstructionRole, kind: TaskKind): TemplateDiagnostic[] {
  const text = useTaskSetup((t) => t.instructions[role]);
  const exemplarCount = useTaskSetup((t) => t.exemplars.length);
  return useMemo(() => lintTemplate(parseTemplateCached(text), { role, kind, exemplarCount }), [text, role, kind, exemplarCount]);
}
