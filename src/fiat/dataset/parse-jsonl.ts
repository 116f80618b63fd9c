import type { ParsedFile, RowIssue, SourceRecord } from './records.ts';
import { runToEnd, type Sliced } from '../slices.ts';

/** Lines read between two yields of `parseJsonlInSlices` (about a millisecond of JSON.parse). */
export const PARSE_SLICE_LINES = 500;

/**
 * Read JSON Lines: one JSON object a line; blank lines are skipped. A line that is not valid JSON, or
 * not an object, is reported by its line number and left out; every other line is kept. Yields the
 * lines read after each slice of `sliceLines` (see slices.ts).
 */
export function* parseJsonlInSlices(text: string, sliceLines = PARSE_SLICE_LINES): Sliced<ParsedFile> {
  const records: SourceRecord[] = [];
  const issues: RowIssue[] = [];
  const columns = new Set<string>();
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line += 1;
    if (line % sliceLines === 0) yield line;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      issues.push({ line, message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ line, message: 'expected a JSON object ({...}) on this line' });
      continue;
    }
    const values = value as Record<string, unknown>;
    for (const key of Object.keys(values)) columns.add(key);
    records.push({ line, values });
  }
  return { format: 'jsonl', columns: [...columns], records, issues };
}

/** `parseJsonlInSlices` in one go. */
export function parseJsonl(text: string): ParsedFile {
  return runToEnd(parseJsonlInSlices(text, Number.POSITIVE_INFINITY));
}
