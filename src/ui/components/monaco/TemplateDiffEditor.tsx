import { DiffEditor } from '@monaco-editor/react';
import { TEMPLATE_LANGUAGE, TEMPLATE_THEME } from './monaco-setup.ts';

export interface TemplateDiffEditorProps {
  original: string;
  modified: string;
  /** Accessible name of the diff; each side's text input is named by it and "original" or "modified". */
  ariaLabel: string;
}

/** Monaco's diff editor over two instruction texts (read-only, side by side). */
export function TemplateDiffEditor({ original, modified, ariaLabel }: TemplateDiffEditorProps) {
  const sideLabels = { originalAriaLabel: `${ariaLabel}: original`, modifiedAriaLabel: `${ariaLabel}: modified` };
  return (
    <DiffEditor
      original={original}
      modified={modified}
      language={TEMPLATE_LANGUAGE}
      theme={TEMPLATE_THEME}
      originalModelPath="diff-original.fiat"
      modifiedModelPath="diff-modified.fiat"
      options={{ readOnly: true, originalEditable: false, renderSideBySide: true, wordWrap: 'on', minimap: { enabled: false }, ...sideLabels }}
      // A diff editor ignores `ariaLabel`, and Monaco 0.57 applies the per-side names only on a later
      // options update (its first pass resets both to ''): without this its two text inputs have no name.
      onMount={(editor) => {
        editor.getOriginalEditor().updateOptions({ ariaLabel: sideLabels.originalAriaLabel });
        editor.getModifiedEditor().updateOptions({ ariaLabel: sideLabels.modifiedAriaLabel });
      }}
      loading={<p className="editor-loading">Loading diff…</p>}
    />
  );
}
