import { DiffEditor, type DiffOnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { type monaco, TEMPLATE_LANGUAGE, TEMPLATE_THEME } from './monaco-setup.ts';

export interface TemplateDiffEditorProps {
  original: string;
  modified: string;
  /** Accessible name of the diff; each side's text input is named by it and "original" or "modified". */
  ariaLabel: string;
}

/** Monaco's diff editor over two instruction texts (read-only, side by side). */
export function TemplateDiffEditor({ original, modified, ariaLabel }: TemplateDiffEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  // A diff editor ignores `ariaLabel`, and Monaco 0.57 resets each side's name to '' whenever it
  // re-derives the sides' options (on creation, and when it switches between side by side and inline
  // for the width), even with originalAriaLabel/modifiedAriaLabel set. So each side is named here and
  // named again after every configuration change (an update that changes nothing fires no event).
  const onMount: DiffOnMount = (editor) => {
    editorRef.current = editor;
    const sides = [
      [editor.getOriginalEditor(), `${ariaLabel}: original`],
      [editor.getModifiedEditor(), `${ariaLabel}: modified`],
    ] as const;
    for (const [side, name] of sides) {
      side.updateOptions({ ariaLabel: name });
      side.onDidChangeConfiguration(() => side.updateOptions({ ariaLabel: name }));
    }
  };
  // @monaco-editor/react disposes the models before the diff editor, which Monaco reports as an
  // uncaught "TextModel got disposed before DiffEditorWidget model got reset" on every close. So the
  // wrapper keeps the models (keepCurrent*Model) and this cleanup, which React runs before the
  // wrapper's own (parents' effects are cleaned up first), detaches them from the editor, then
  // disposes them: the next diff creates its models anew from its texts.
  useEffect(
    () => () => {
      const editor = editorRef.current;
      const models = editor?.getModel();
      editor?.setModel(null);
      models?.original.dispose();
      models?.modified.dispose();
    },
    [],
  );
  return (
    <DiffEditor
      original={original}
      modified={modified}
      language={TEMPLATE_LANGUAGE}
      theme={TEMPLATE_THEME}
      originalModelPath="diff-original.fiat"
      modifiedModelPath="diff-modified.fiat"
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      onMount={onMount}
      options={{ readOnly: true, originalEditable: false, renderSideBySide: true, wordWrap: 'on', minimap: { enabled: false } }}
      loading={<p className="editor-loading">Loading diff…</p>}
    />
  );
}
