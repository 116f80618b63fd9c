/** One row of an imported file, before field mapping: its first line number (1-based) and values. */
export interface SourceRecord {
  line: number;
  values: Record<string, unknown>;
}

/** A problem with one row. `field` is the file's column name (what the user can go and fix). */
export interface RowIssue {
  line: number;
  field?: string;
  message: string;
}

export type FileFormat = 'jsonl' | 'csv';

/** A file read into rows: the union of column names in first-seen order, good rows, broken rows. */
export interface ParsedFile {
  format: FileFormat;
  columns: string[];
  records: SourceRecord[];
  issues: RowIssue[];
}

/** "line N, field F: message" (or "line N: message" for a problem with the row as a whole). */
export function formatRowIssue(issue: RowIssue): string {
  return issue.field === undefined
    ? `line ${issue.line}: ${issue.message}`
    : `line ${issue.line}, field ${issue.field}: ${issue.message}`;
}
