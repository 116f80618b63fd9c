/**
 * Template syntax: text with variables `{{name}}` (spaces inside the braces allowed). `\{{` writes a
 * literal `{{`. A variable tag closes on the same line. Offsets are UTF-16 indices into the
 * source, which is what Monaco's columns count.
 */
export type TemplatePart =
  | { kind: 'text'; text: string; start: number; end: number }
  | { kind: 'variable'; name: string; start: number; end: number }
  /** `{{` that does not form a variable tag; rendered as written and reported by the linter. */
  | { kind: 'malformed'; text: string; reason: string; start: number; end: number };

export interface ParsedTemplate {
  source: string;
  parts: TemplatePart[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseTemplate(source: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let text = '';
  let textStart = 0;
  const flushText = (end: number) => {
    if (text !== '') parts.push({ kind: 'text', text, start: textStart, end });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('\\{{', i)) {
      if (text === '') textStart = i;
      text += '{{';
      i += 3;
      continue;
    }
    if (!source.startsWith('{{', i)) {
      if (text === '') textStart = i;
      text += source[i];
      i += 1;
      continue;
    }
    flushText(i);
    const lineEnd = source.indexOf('\n', i);
    const close = source.indexOf('}}', i + 2);
    if (close === -1 || (lineEnd !== -1 && close > lineEnd)) {
      const end = lineEnd === -1 ? source.length : lineEnd;
      parts.push({ kind: 'malformed', text: source.slice(i, end), reason: 'unclosed', start: i, end });
      i = end;
      continue;
    }
    const inner = source.slice(i + 2, close).trim();
    const end = close + 2;
    if (NAME.test(inner)) parts.push({ kind: 'variable', name: inner, start: i, end });
    else parts.push({ kind: 'malformed', text: source.slice(i, end), reason: inner === '' ? 'empty' : 'bad-name', start: i, end });
    i = end;
  }
  flushText(source.length);
  return { source, parts };
}

const cache = new Map<string, ParsedTemplate>();
const CACHE_SIZE = 64;

/** parseTemplate memoised on the source text (the editors and the preview parse the same text). */
export function parseTemplateCached(source: string): ParsedTemplate {
  const hit = cache.get(source);
  if (hit) return hit;
  const parsed = parseTemplate(source);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(source, parsed);
  return parsed;
}

/** 1-based line and column of a UTF-16 offset (Monaco's convention). */
export function positionAt(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
