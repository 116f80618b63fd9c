/**
 * The studio's Monaco, loaded from the local `monaco-editor` package (never a CDN: the studio works
 * offline). Only the editor core and its contributions are bundled, no language services; the
 * template language below is the only language. This module is imported lazily (see lazy.tsx), so
 * Monaco is not in the initial bundle.
 */
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/register.all.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import type { TemplateDiagnostic } from '../../../fiat/template/lint.ts';
import { completionsAt } from '../../../fiat/template/completions.ts';
import type { InstructionRole } from '../../../fiat/template/variables.ts';
import type { TaskKind } from '../../../fiat/task/task.ts';
import type { MarkerView } from '../../testing/test-api-types.ts';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

export { monaco };

export const TEMPLATE_LANGUAGE = 'fiat-template';
export const TEMPLATE_THEME = 'fiat-light';
const MARKER_OWNER = 'fiat-template-lint';

/** Model path of an instruction's editor; its URI is how markers and completions find the role. */
export const instructionModelPath = (role: InstructionRole) => `instruction-${role}.fiat`;

interface ModelContext {
  role: InstructionRole;
  kind: TaskKind;
}
const contexts = new Map<string, ModelContext>();

/** Tell the completion provider which role and task kind a model's template is for. */
export function setModelContext(model: monaco.editor.ITextModel, context: ModelContext): void {
  contexts.set(model.uri.toString(), context);
}

monaco.languages.register({ id: TEMPLATE_LANGUAGE });
monaco.languages.setMonarchTokensProvider(TEMPLATE_LANGUAGE, {
  tokenizer: {
    root: [
      [/\\\{\{/, 'string.escape'],
      [/\{\{\s*[A-Za-z_]\w*\s*\}\}/, 'variable'],
      [/\{\{/, 'invalid'],
    ],
  },
});
monaco.languages.setLanguageConfiguration(TEMPLATE_LANGUAGE, {
  brackets: [['{', '}']],
  autoClosingPairs: [{ open: '{', close: '}' }],
});
monaco.editor.defineTheme(TEMPLATE_THEME, {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'variable', foreground: '0b63c5', fontStyle: 'bold' },
    { token: 'invalid', foreground: 'b3261e' },
    { token: 'string.escape', foreground: '6b7280' },
  ],
  colors: {},
});

monaco.languages.registerCompletionItemProvider(TEMPLATE_LANGUAGE, {
  triggerCharacters: ['{'],
  provideCompletionItems(model, position) {
    const context = contexts.get(model.uri.toString());
    if (!context) return { suggestions: [] };
    const line = model.getLineContent(position.lineNumber);
    const found = completionsAt(line.slice(0, position.column - 1), line.slice(position.column - 1), context.role, context.kind);
    if (!found) return { suggestions: [] };
    const range = new monaco.Range(position.lineNumber, found.replaceFromColumn, position.lineNumber, found.replaceToColumn);
    return {
      // Ask again on every keystroke: the range to replace (the typed `{{pa` plus any auto-closed `}}`)
      // must come from the line as it is when the item is accepted. Monaco otherwise reuses the range of
      // the first request, and under load that request can predate the auto-closed braces, leaving a
      // stray `}` behind ("{{passage}}}", seen in the e2e suite).
      incomplete: true,
      // sortText keeps the catalogue's order (question, passage, ...) instead of Monaco's alphabetical one.
      suggestions: found.items.map((item, i) => ({
        sortText: String(i).padStart(2, '0'),
        label: item.insertText,
        kind: monaco.languages.CompletionItemKind.Variable,
        insertText: item.insertText,
        filterText: item.insertText,
        detail: item.detail,
        documentation: item.documentation,
        range,
      })),
    };
  },
});

const SEVERITY = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
} as const;

/** Show the template linter's diagnostics as markers (squiggles, hovers, the problem list). */
export function setTemplateMarkers(model: monaco.editor.ITextModel, diagnostics: readonly TemplateDiagnostic[]): void {
  monaco.editor.setModelMarkers(
    model,
    MARKER_OWNER,
    diagnostics.map((d) => ({
      severity: SEVERITY[d.severity],
      message: d.message,
      code: d.code,
      startLineNumber: d.startLine,
      startColumn: d.startColumn,
      endLineNumber: d.endLine,
      endColumn: d.endColumn,
    })),
  );
}

/** The markers Monaco holds for an instruction's model (for the e2e test API). */
export function readMarkers(role: InstructionRole): MarkerView[] {
  const names: Record<number, MarkerView['severity']> = { 8: 'error', 4: 'warning', 2: 'info', 1: 'hint' };
  return monaco.editor
    .getModelMarkers({ owner: MARKER_OWNER, resource: monaco.Uri.parse(instructionModelPath(role)) })
    .map((m) => ({
      severity: names[m.severity] ?? 'hint',
      message: m.message,
      startLineNumber: m.startLineNumber,
      startColumn: m.startColumn,
      endLineNumber: m.endLineNumber,
      endColumn: m.endColumn,
    }));
}

/** Put the cursor of an instruction's editor at a position, scroll it into view and focus it. */
export function revealPosition(role: InstructionRole, line: number, column: number): boolean {
  const uri = monaco.Uri.parse(instructionModelPath(role)).toString();
  const editor = monaco.editor.getEditors().find((e) => e.getModel()?.uri.toString() === uri);
  if (!editor) return false;
  editor.setPosition({ lineNumber: line, column });
  editor.revealPositionInCenterIfOutsideViewport({ lineNumber: line, column });
  editor.focus();
  return true;
}
