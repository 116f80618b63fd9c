import type { Label } from '../task/task.ts';
import type { ParsedFile } from './records.ts';

/** A classification task has between 2 and this many classes. */
export const MAX_LABELS = 20;

/**
 * The mapping step lists at most this many distinct label values; a column with more is not a label
 * column (a question or id column chosen by mistake), and the step says so instead of listing them.
 */
export const MAX_LABEL_VALUES = 50;

/**
 * A label cell as the class value it names: text, a number or true/false, trimmed ("1" for `1` and
 * `"1"` alike, since a label is a name, not a quantity). Undefined for a missing or blank cell; null
 * for a value that cannot name a class (an object or a list).
 */
export function labelText(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export interface LabelValueCount {
  value: string;
  /** Rows with this value. */
  count: number;
}

export interface LabelValues {
  /** Distinct values in first-seen order, at most MAX_LABEL_VALUES. */
  values: LabelValueCount[];
  /** True when the column has more distinct values than listed. */
  more: boolean;
}

/** The distinct label values of a column with their row counts (one pass over the rows). */
export function countLabelValues(parsed: ParsedFile, column: string | null): LabelValues {
  const counts = new Map<string, number>();
  if (column === null) return { values: [], more: false };
  let more = false;
  for (const record of parsed.records) {
    const value = labelText(record.values[column]);
    if (typeof value !== 'string') continue;
    const count = counts.get(value);
    if (count !== undefined) counts.set(value, count + 1);
    else if (counts.size < MAX_LABEL_VALUES) counts.set(value, 1);
    else more = true;
  }
  return { values: [...counts].map(([value, count]) => ({ value, count })), more };
}

/**
 * The values proposed as classes before the user says otherwise: those in at least 2 rows and at
 * least 1% as many as the most frequent value. Rarer ones (a typo, a stray "maybe" among yes/no) are
 * proposed as left out, each row reported, for the user to map or make a class; when fewer than 2
 * values qualify, every value is proposed (a tiny file has no frequencies to go by).
 */
export function proposedClasses(found: readonly LabelValueCount[]): string[] {
  const most = Math.max(0, ...found.map((v) => v.count));
  const frequent = found.filter((v) => v.count >= 2 && v.count * 100 >= most).map((v) => v.value);
  return frequent.length >= 2 ? frequent : found.map((v) => v.value);
}

/**
 * The classes for the values found: each value proposed as a class, verbalized as it was before (the
 * user's words, when the label column changes back) or else as itself: the words in the data, which
 * the user edits.
 */
export function classesFrom(found: readonly LabelValueCount[], previous: readonly Label[] = []): Label[] {
  return proposedClasses(found).map((value) => ({
    value,
    verbalizer: previous.find((l) => l.value === value)?.verbalizer ?? value,
  }));
}
