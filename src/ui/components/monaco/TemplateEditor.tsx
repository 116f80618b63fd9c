import { Editor, type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { TemplateDiagnostic } from '../../../fiat/template/lint.ts';
import type { InstructionRole } from '../../../fiat/template/variables.ts';
import type { TaskKind } from '../../../fiat/task/task.ts';
import {
  instructionModelPath, monaco, setModelContext, setTemplateMarkers, TEMPLATE_LANGUAGE, TEMPLATE_THEME,
} from './monaco-setup.ts';

export interface TemplateEditorProps {
  role: InstructionRole;
  kind: TaskKind;
  value: string;
  /** Called on every edit with the whole text; must be a stable function. */
  onChange: (text: string) => void;
  diagnostics: readonly TemplateDiagnostic[];
  /** Accessible name of the editor's text input. */
  ariaLabel: string;
  /** Ctrl/Cmd+S in the editor. */
  onSaveShortcut?: () => void;
}

const OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  minimap: { enabled: false },
  wordWrap: 'on',
  lineNumbers: 'on',
  fontSize: 13,
  scrollBeyondLastLine: false,
  renderLineHighlight: 'line',
  quickSuggestions: false,
  suggestOnTriggerCharacters: true,
  fixedOverflowWidgets: true,
  padding: { top: 6 },
  accessibilitySupport: 'auto',
};

/** Monaco editing one instruction template, with the linter's markers and variable completions. */
export function TemplateEditor({ role, kind, value, onChange, diagnostics, ariaLabel, onSaveShortcut }: TemplateEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const saveRef = useRef(onSaveShortcut);
  useEffect(() => {
    saveRef.current = onSaveShortcut;
  }, [onSaveShortcut]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    // Read by bench/bundle.ts ("editors ready"); a mark costs nothing.
    performance.mark(`fiat-studio:editor-${role}-mounted`);
    const model = editor.getModel();
    if (model) {
      setModelContext(model, { role, kind });
      setTemplateMarkers(model, diagnostics);
    }
    // Monaco's keybindings live in one service shared by every editor: a plain addCommand for Ctrl+S
    // in each editor leaves the last one registered winning in both (I_β's Ctrl+S opened I_τ's
    // versions). A context key of this editor's own (set in its scoped context, so true only while
    // it has focus) makes each binding apply in its editor alone.
    const contextKey = `fiatInstructionEditor.${role}`;
    editor.createContextKey(contextKey, true);
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => saveRef.current?.(), contextKey);
  };

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) setModelContext(model, { role, kind });
  }, [role, kind]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) setTemplateMarkers(model, diagnostics);
  }, [diagnostics]);

  return (
    <Editor
      path={instructionModelPath(role)}
      language={TEMPLATE_LANGUAGE}
      theme={TEMPLATE_THEME}
      value={value}
      onChange={(text) => onChange(text ?? '')}
      onMount={onMount}
      options={{ ...OPTIONS, ariaLabel }}
      loading={<p className="editor-loading">Loading editor…</p>}
    />
  );
}
