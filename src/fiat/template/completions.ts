import type { TaskKind } from '../task/task.ts';
import { type InstructionRole, type VariableDoc, variablesFor } from './variables.ts';

export interface TemplateCompletions {
  /** Variables valid in this role and task kind whose name starts with what was typed. */
  items: (VariableDoc & { insertText: string })[];
  /** 1-based columns of the text the chosen `{{name}}` replaces: the typed `{{` and partial name, and
   * a closing `}}` or `}` right after the cursor (an editor may have auto-closed both braces or, when
   * they were typed fast, only one). End exclusive. */
  replaceFromColumn: number;
  replaceToColumn: number;
}

/**
 * Completions at a cursor inside a `{{` tag, given the line's text before and after the cursor.
 * Undefined when the cursor is not in a tag (or the `{{` is escaped as `\{{`).
 */
export function completionsAt(
  lineBeforeCursor: string,
  lineAfterCursor: string,
  role: InstructionRole,
  kind: TaskKind,
): TemplateCompletions | undefined {
  const match = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)?$/.exec(lineBeforeCursor);
  if (!match || lineBeforeCursor[match.index - 1] === '\\') return undefined;
  const partial = (match[1] ?? '').toLowerCase();
  const closing = /^\s*\}\}?/.exec(lineAfterCursor)?.[0].length ?? 0;
  const cursorColumn = lineBeforeCursor.length + 1;
  return {
    items: variablesFor(role, kind)
      .filter((v) => v.name.startsWith(partial))
      .map((v) => ({ ...v, insertText: `{{${v.name}}}` })),
    replaceFromColumn: match.index + 1,
    replaceToColumn: cursorColumn + closing,
  };
}
