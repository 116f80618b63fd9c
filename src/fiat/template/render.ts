import type { TaskKind } from '../task/task.ts';
import type { ParsedTemplate } from './parse.ts';
import { type InstructionRole, isVariableName, misplacement, type VariableName } from './variables.ts';

/**
 * A rendered instruction as segments, so the preview can show which text came from where:
 * - literal: the template's own text;
 * - variable: a filled slot (`pending`: {{reasoning}} before the large model has written any; its
 *   text is empty);
 * - invalid: a malformed, unknown or misplaced tag, kept as written and never filled.
 */
export type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'variable'; name: VariableName; text: string; pending: boolean }
  | { kind: 'invalid'; text: string };

export interface Rendered {
  segments: Segment[];
  /** The text as it would be sent (a pending slot contributes nothing). */
  text: string;
  /** Unicode code points of `text`. */
  characters: number;
  /** True when a {{reasoning}} slot is waiting for the large model. */
  pendingReasoning: boolean;
  /** True when the template has invalid tags: it must not be sent to a model as it is. */
  hasInvalid: boolean;
}

/** Values for one example. `reasoning` undefined = not produced yet (the slot is pending). */
export interface TemplateValues {
  question: string;
  passage: string;
  answer: string | null;
  reasoning?: string;
  exemplars: string;
}

export function countCharacters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n += 1; // a low surrogate continues the previous code point
  }
  return n;
}

export function renderTemplate(parsed: ParsedTemplate, values: TemplateValues, role: InstructionRole, kind: TaskKind): Rendered {
  const segments: Segment[] = [];
  let pendingReasoning = false;
  let hasInvalid = false;
  for (const part of parsed.parts) {
    if (part.kind === 'text') {
      segments.push({ kind: 'literal', text: part.text });
      continue;
    }
    if (part.kind === 'malformed' || !isVariableName(part.name) || misplacement(part.name, role, kind) !== undefined) {
      hasInvalid = true;
      segments.push({ kind: 'invalid', text: part.kind === 'malformed' ? part.text : parsed.source.slice(part.start, part.end) });
      continue;
    }
    const name = part.name;
    if (name === 'reasoning' && values.reasoning === undefined) {
      pendingReasoning = true;
      segments.push({ kind: 'variable', name, text: '', pending: true });
      continue;
    }
    const text = name === 'answer' ? (values.answer ?? '') : (values[name] ?? '');
    segments.push({ kind: 'variable', name, text, pending: false });
  }
  const text = segments.map((s) => s.text).join('');
  return { segments, text, characters: countCharacters(text), pendingReasoning, hasInvalid };
}
