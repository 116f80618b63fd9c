import type { TaskKind } from '../task/task.ts';
import { type ParsedTemplate, positionAt } from './parse.ts';
import { type InstructionRole, isVariableName, misplacement, ROLE_NAMES, VARIABLE_NAMES, variablesFor } from './variables.ts';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';
export type DiagnosticCode =
  | 'malformed-tag'
  | 'unknown-variable'
  | 'misplaced-variable'
  | 'missing-question'
  | 'missing-reasoning'
  | 'unused-exemplars'
  | 'repeated-exemplars';

/** A problem at a place in the template: offsets plus 1-based line/column (end exclusive). */
export interface TemplateDiagnostic {
  code: DiagnosticCode;
  severity: DiagnosticSeverity;
  message: string;
  start: number;
  end: number;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface LintContext {
  role: InstructionRole;
  kind: TaskKind;
  /** How many exemplars the project has (I_β without {{exemplars}} would drop them). */
  exemplarCount: number;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function suggestion(name: string): string {
  const near = VARIABLE_NAMES.map((v) => ({ v, d: editDistance(name.toLowerCase(), v) })).sort((x, y) => x.d - y.d)[0];
  return near && near.d <= 2 ? ` Did you mean {{${near.v}}}?` : '';
}

const MALFORMED: Record<string, string> = {
  unclosed: '"{{" starts a variable but is not closed by "}}" on this line. Write \\{{ for literal braces.',
  empty: 'Empty variable "{{}}": put a variable name inside the braces.',
  'bad-name': 'A variable name is letters, digits and "_" (e.g. {{question}}). Write \\{{ for literal braces.',
};

/** A diagnostic over source[start, end), with its 1-based lines and columns. */
export function diagnosticAt(source: string, code: DiagnosticCode, severity: DiagnosticSeverity, message: string, start: number, end: number): TemplateDiagnostic {
  const from = positionAt(source, start);
  const to = positionAt(source, end);
  return { code, severity, message, start, end, startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
}

/**
 * Check a template for its role and task kind. Errors: malformed tags, unknown variables, variables
 * misplaced for the role or kind (these are rendered as written, never filled). Warnings and notes:
 * what the instruction leaves out.
 */
export function lintTemplate(parsed: ParsedTemplate, context: LintContext): TemplateDiagnostic[] {
  const { source } = parsed;
  const diagnostics: TemplateDiagnostic[] = [];
  const add = (code: DiagnosticCode, severity: DiagnosticSeverity, message: string, start: number, end: number) => {
    diagnostics.push(diagnosticAt(source, code, severity, message, start, end));
  };
  const used = new Map<string, number>();
  const valid = variablesFor(context.role, context.kind).map((v) => `{{${v.name}}}`).join(', ');
  for (const part of parsed.parts) {
    if (part.kind === 'malformed') {
      add('malformed-tag', 'error', MALFORMED[part.reason] ?? 'Malformed variable.', part.start, part.end);
    } else if (part.kind === 'variable') {
      if (!isVariableName(part.name)) {
        add('unknown-variable', 'error', `Unknown variable {{${part.name}}}.${suggestion(part.name)} Valid in ${ROLE_NAMES[context.role]}: ${valid}.`, part.start, part.end);
        continue;
      }
      const why = misplacement(part.name, context.role, context.kind);
      if (why !== undefined) {
        add('misplaced-variable', 'error', why, part.start, part.end);
        continue;
      }
      used.set(part.name, (used.get(part.name) ?? 0) + 1);
      if (part.name === 'exemplars' && used.get('exemplars') === 2) {
        add('repeated-exemplars', 'warning', '{{exemplars}} appears more than once: the few-shot block would be repeated.', part.start, part.end);
      }
    }
  }
  const firstLineEnd = source.indexOf('\n') === -1 ? source.length : source.indexOf('\n');
  if (!used.has('question')) {
    add('missing-question', 'warning', `${ROLE_NAMES[context.role]} never shows the example: add {{question}}.`, 0, firstLineEnd);
  }
  if (context.role === 'tau' && !used.has('reasoning')) {
    add(
      'missing-reasoning',
      'info',
      "I_τ has no {{reasoning}}: the small model will not see the large model's reasoning (the paper's ablation without CoT-augmented tuning).",
      0,
      firstLineEnd,
    );
  }
  if (context.role === 'beta' && context.exemplarCount > 0 && !used.has('exemplars')) {
    add('unused-exemplars', 'warning', `You have ${context.exemplarCount} exemplar(s), but I_β has no {{exemplars}} to show them.`, 0, firstLineEnd);
  }
  return diagnostics;
}
