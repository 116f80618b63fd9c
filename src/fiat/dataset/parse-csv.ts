import Papa from 'papaparse';
import type { ParsedFile, RowIssue, SourceRecord } from './records.ts';

const DELIMITERS = [',', '\t', ';', '|'] as const;

/** The delimiter that occurs most often in the header line (outside double quotes). */
export function detectDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** Offsets of the line starts, for turning a character offset into a 1-based line number. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Read CSV with a header row (RFC 4180 quoting, delimiter , ; tab or | from the header). A row whose
 * number of fields differs from the header's is reported by its first line and left out; quoted
 * fields may span lines, and rows are numbered by the line they start on.
 */
export function parseCsv(text: string): ParsedFile {
  const starts = lineStarts(text);
  const firstContent = text.search(/\S/);
  const headerLine = text.slice(firstContent).split(/\r?\n/, 1)[0] ?? '';
  const records: SourceRecord[] = [];
  const issues: RowIssue[] = [];
  let header: string[] | undefined;
  let previousCursor = 0;
  Papa.parse<string[]>(text, {
    header: false,
    delimiter: detectDelimiter(headerLine),
    skipEmptyLines: 'greedy',
    step: (result) => {
      let rowStart = previousCursor;
      while (rowStart < text.length && (text[rowStart] === '\n' || text[rowStart] === '\r')) rowStart += 1;
      previousCursor = result.meta.cursor;
      const line = lineAt(starts, rowStart);
      const fields = result.data;
      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      if (quoteError) {
        issues.push({ line, message: 'a quoted field is never closed ("); this row and the rest of the file were left out' });
        return;
      }
      if (header === undefined) {
        header = fields.map((f) => f.trim());
        return;
      }
      if (fields.length !== header.length) {
        issues.push({ line, message: `expected ${header.length} fields (as in the header), found ${fields.length}` });
        return;
      }
      const values: Record<string, unknown> = {};
      header.forEach((name, i) => {
        values[name] = fields[i];
      });
      records.push({ line, values });
    },
  });
  return { format: 'csv', columns: header ?? [], records, issues };
}
