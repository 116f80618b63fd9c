import { DiffEditor, type DiffOnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { type monaco, TEMPLATE_LANGUAGE, TEMPLATE_THEME } from './monaco-setup.ts';

export interface TemplateDiffEditorProps {
  original: string;
  modified: string;
  /** Accessible name of the modified side. */
  ariaLabel: string;
}

/** Monaco's diff editor over two instruction texts (read-only, side by side). */
export function TemplateDiffEditor({ original, modified, ariaLabel }: TemplateDiffEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const onMount: DiffOnMount = (editor) => {
    editorRef.current = editor;
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
      options={{ readOnly: true, originalEditable: false, renderSideBySide: true, wordWrap: 'on', minimap: { enabled: false }, ariaLabel }}
      loading={<p className="editor-loading">Loading diff…</p>}
    />
  );
}
