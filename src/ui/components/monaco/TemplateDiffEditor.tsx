import { DiffEditor } from '@monaco-editor/react';
import { TEMPLATE_LANGUAGE, TEMPLATE_THEME } from './monaco-setup.ts';

export interface TemplateDiffEditorProps {
  original: string;
  modified: string;
  /** Accessible name of the modified side. */
  ariaLabel: string;
}

/** Monaco's diff editor over two instruction texts (read-only, side by side). */
export function TemplateDiffEditor({ original, modified, ariaLabel }: TemplateDiffEditorProps) {
  return (
    <DiffEditor
      original={original}
      modified={modified}
      language={TEMPLATE_LANGUAGE}
      theme={TEMPLATE_THEME}
      originalModelPath="diff-original.fiat"
      modifiedModelPath="diff-modified.fiat"
      options={{ readOnly: true, originalEditable: false, renderSideBySide: true, wordWrap: 'on', minimap: { enabled: false }, ariaLabel }}
      loading={<p className="editor-loading">Loading diff…</p>}
    />
  );
}
