import { lazy, Suspense } from 'react';
import type { InstructionRole } from '../../../fiat/template/variables.ts';
import type { TemplateDiffEditorProps } from './TemplateDiffEditor.tsx';
import type { TemplateEditorProps } from './TemplateEditor.tsx';

/*
 * The only entry to Monaco for the rest of the UI: lazy components, so Monaco (and its worker) load
 * after the first paint, in their own chunks, not in the initial bundle.
 */
const TemplateEditorChunk = lazy(() => import('./TemplateEditor.tsx').then((m) => ({ default: m.TemplateEditor })));
const TemplateDiffEditorChunk = lazy(() => import('./TemplateDiffEditor.tsx').then((m) => ({ default: m.TemplateDiffEditor })));

const fallback = (text: string) => <p className="editor-loading">{text}</p>;

export function LazyTemplateEditor(props: TemplateEditorProps) {
  return (
    <Suspense fallback={fallback('Loading editor…')}>
      <TemplateEditorChunk {...props} />
    </Suspense>
  );
}

export function LazyTemplateDiffEditor(props: TemplateDiffEditorProps) {
  return (
    <Suspense fallback={fallback('Loading diff…')}>
      <TemplateDiffEditorChunk {...props} />
    </Suspense>
  );
}

/** Monaco's markers for an instruction's editor (e2e test API); loads Monaco if it is not yet. */
export async function readEditorMarkers(role: InstructionRole) {
  const { readMarkers } = await import('./monaco-setup.ts');
  return readMarkers(role);
}

/** Move an instruction editor's cursor to a problem (e.g. "show the template error"); false if it is not open. */
export async function revealInEditor(role: InstructionRole, line: number, column: number): Promise<boolean> {
  const { revealPosition } = await import('./monaco-setup.ts');
  return revealPosition(role, line, column);
}
