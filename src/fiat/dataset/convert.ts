import { type Example, SPLITS, type Split, type TaskKind } from '../task/task.ts';
import { labelText } from './labels.ts';
import type { FieldMapping } from './mapping.ts';
import type { ParsedFile, RowIssue, SourceRecord } from './records.ts';
import { runToEnd, type Sliced } from '../slices.ts';

export interface ConvertOptions {
  kind: TaskKind;
  mapping: FieldMapping;
  /** Classification: the classes; a row whose label is none of them (after `labelAliases`) is reported. */
  labelValues?: readonly string[];
  /** Classification: other label values of the file and the class each counts as ("maybe" -> "no"). */
  labelAliases?: Readonly<Record<string, string>>;
  /** Keep the row's other string fields as `extra` (sample data: `question_en`). */
  keepExtra?: boolean;
}

export interface Converted {
  examples: Example[];
  /** The file's row problems and the conversion's, ordered by line. */
  issues: RowIssue[];
}

/** Rows converted between two yields of `convertRecordsInSlices` (about a millisecond of work). */
export const CONVERT_SLICE_ROWS = 500;

/** A field's value, or why the row is left out. */
type Checked<T> = { ok: true; value: T } | { ok: false; message: string };
const valid = <T>(value: T): Checked<T> => ({ ok: true, value });
const invalid = (message: string): Checked<never> => ({ ok: false, message });

/** How a JSON value of the wrong type reads in a message: `the number 42`, `an object`, `true`. */
function describe(value: unknown): string {
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * Text fields are strict: JSON Lines can hold a number, true or an object where text is expected, and
 * such a value is an error at its line and field, not turned into text (`question: 42` is a broken
 * row, not the question "42"). CSV cells are always text, so a CSV never fails this way.
 */
function requiredText(value: unknown): Checked<string> {
  if (value === undefined || value === null) return invalid('missing');
  if (typeof value !== 'string') return invalid(`must be text, found ${describe(value)}`);
  return value.trim() === '' ? invalid('must not be empty') : valid(value);
}

/** Missing, null and blank are "not given" (null); anything but text is an error. Kept as written. */
function optionalText(value: unknown): Checked<string | null> {
  if (value === undefined || value === null) return valid(null);
  if (typeof value !== 'string') return invalid(`must be text, found ${describe(value)}`);
  return valid(value.trim() === '' ? null : value);
}

/** An optional name (id, language, split): as `optionalText`, trimmed. */
function optionalName(value: unknown): Checked<string | null> {
  const text = optionalText(value);
  return text.ok && text.value !== null ? valid(text.value.trim()) : text;
}

const SPLIT_ALIASES: Record<string, Split> = { val: 'validation', dev: 'validation', valid: 'validation' };
const LANG = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

function lang(value: unknown): Checked<string | null> {
  const text = optionalName(value);
  if (!text.ok || text.value === null) return text;
  return LANG.test(text.value) ? valid(text.value.replace('_', '-')) : invalid('not a language code (e.g. bn, ja, pt-BR)');
}

function split(value: unknown): Checked<Split | null> {
  const text = optionalName(value);
  if (!text.ok || text.value === null) return text as Checked<null>;
  const name = text.value.toLowerCase();
  const known = SPLIT_ALIASES[name] ?? name;
  return (SPLITS as readonly string[]).includes(known) ? valid(known as Split) : invalid('must be train, validation or test');
}

/** A classification label: a class, or a value the user mapped to one; anything else is reported. */
function labelChecker(options: ConvertOptions): (value: unknown) => Checked<string> {
  const classes = options.labelValues === undefined ? undefined : new Set(options.labelValues);
  const listed = options.labelValues?.join(', ') ?? '';
  const aliases = new Map(Object.entries(options.labelAliases ?? {}));
  return (value) => {
    const text = labelText(value);
    if (text === undefined) return value === undefined || value === null ? invalid('missing') : invalid('must not be empty');
    if (text === null) return invalid(`must be a label (text, a number or true/false), found ${describe(value)}`);
    const label = aliases.get(text) ?? text;
    if (classes !== undefined && !classes.has(label)) return invalid(`"${text}" is not one of the task's labels (${listed})`);
    return valid(label);
  };
}

/**
 * Turn parsed rows into examples through a field mapping, a slice of rows at a time: the generator
 * yields the number of rows done after each slice of `sliceRows` and returns the result, so that a
 * caller in a page can yield to it between slices (100,000 rows are a few hundred ms of work). Every
 * bad row is reported (line, the file's column name, each bad field) and left out; good rows are kept.
 * Ids default to `line-N`; a repeated id is reported on the later row.
 */
export function* convertRecordsInSlices(
  parsed: ParsedFile,
  options: ConvertOptions,
  sliceRows = CONVERT_SLICE_ROWS,
): Sliced<Converted> {
  const { mapping } = options;
  const mapped = new Set(Object.values(mapping).filter((c): c is string => c !== null));
  const classification = options.kind === 'classification';
  const label = labelChecker(options);
  const issues: RowIssue[] = [...parsed.issues];
  const examples: Example[] = [];
  const seenIds = new Map<string, number>();

  const convert = (record: SourceRecord) => {
    const read = (column: string | null) => (column === null ? undefined : record.values[column]);
    const fields = {
      question: requiredText(read(mapping.question)),
      passage: requiredText(read(mapping.passage)),
      answer: classification ? requiredText(read(mapping.answer)) : optionalText(read(mapping.answer)),
      label: classification ? label(read(mapping.label)) : valid(undefined),
      lang: lang(read(mapping.lang)),
      split: split(read(mapping.split)),
      id: optionalName(read(mapping.id)),
    };
    let bad = false;
    for (const [field, checked] of Object.entries(fields)) {
      if (checked.ok) continue;
      bad = true;
      issues.push({ line: record.line, field: mapping[field as keyof FieldMapping] ?? field, message: checked.message });
    }
    if (bad) return;
    const value = <T>(checked: Checked<T>) => (checked as { value: T }).value;
    const id = value(fields.id) ?? `line-${record.line}`;
    const firstLine = seenIds.get(id);
    if (firstLine !== undefined) {
      issues.push({ line: record.line, field: mapping.id ?? 'id', message: `duplicate id "${id}" (first on line ${firstLine})` });
      return;
    }
    seenIds.set(id, record.line);
    const example: Example = {
      id,
      split: value(fields.split) ?? 'train',
      lang: value(fields.lang) ?? 'und',
      question: value(fields.question),
      passage: value(fields.passage),
      answer: value(fields.answer) ?? null,
    };
    if (classification) example.label = value(fields.label);
    if (options.keepExtra) {
      const extra: Record<string, string> = {};
      for (const [key, v] of Object.entries(record.values)) {
        if (!mapped.has(key) && typeof v === 'string') extra[key] = v;
      }
      if (Object.keys(extra).length > 0) example.extra = extra;
    }
    examples.push(example);
  };

  const { records } = parsed;
  for (let start = 0; start < records.length; start += sliceRows) {
    const end = Math.min(records.length, start + sliceRows);
    for (let i = start; i < end; i += 1) convert(records[i] as SourceRecord);
    if (end < records.length) yield end;
  }
  issues.sort((a, b) => a.line - b.line);
  return { examples, issues };
}

/** `convertRecordsInSlices` in one go (samples, the CLI, tests). */
export function convertRecords(parsed: ParsedFile, options: ConvertOptions): Converted {
  return runToEnd(convertRecordsInSlices(parsed, options, Number.POSITIVE_INFINITY));
}
