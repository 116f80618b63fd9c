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
  return (
    <DiffEditor
      original={original}
      modified={modified}
      language={TEMPLATE_LANGUAGE}
      theme={TEMPLATE_THEME}
      originalModelPath="diff-original.fiat"
      modifiedModelPath="diff-modified.fiat"
      options={{ readOnly: true, originalEditable: false, renderSideBySide: true, wordWrap: 'on', minimap: { enabled: false } }}
      // A diff editor ignores `ariaLabel`, and Monaco 0.57 resets each side's name to '' whenever it
      // re-derives the sides' options (on creation, and when it switches between side by side and inline
      // for the width), even with originalAriaLabel/modifiedAriaLabel set. So each side is named here and
      // named again after every configuration change (an update that changes nothing fires no event).
      onMount={(editor) => {
        const sides = [
          [editor.getOriginalEditor(), `${ariaLabel}: original`],
          [editor.getModifiedEditor(), `${ariaLabel}: modified`],
        ] as const;
        for (const [side, name] of sides) {
          side.updateOptions({ ariaLabel: name });
          side.onDidChangeConfiguration(() => side.updateOptions({ ariaLabel: name }));
        }
      }}
      loading={<p className="editor-loading">Loading diff…</p>}
    />
  );
}
