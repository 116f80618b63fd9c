import { z } from 'zod';
import { type Example, SPLITS, type Split, type TaskKind } from '../task/task.ts';
import type { FieldMapping } from './mapping.ts';
import type { ParsedFile, RowIssue, SourceRecord } from './records.ts';

export interface ConvertOptions {
  kind: TaskKind;
  mapping: FieldMapping;
  /** Classification: the label values allowed; a row with another label is reported. */
  labelValues?: readonly string[];
  /** Keep the row's other string fields as `extra` (sample data: `question_en`). */
  keepExtra?: boolean;
}

export interface Converted {
  examples: Example[];
  /** The file's row problems and the conversion's, ordered by line. */
  issues: RowIssue[];
}

const missing = (v: unknown) => v === undefined || v === null;
const scalarToText = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);

const requiredText = z.preprocess(
  scalarToText,
  z
    .string({ error: (issue) => (missing(issue.input) ? 'missing' : `must be text, found ${typeof issue.input}`) })
    .refine((s) => s.trim() !== '', 'must not be empty'),
);
const optionalText = z.preprocess(
  (v) => {
    const t = scalarToText(v);
    return typeof t === 'string' && t.trim() === '' ? null : t;
  },
  z.string({ error: (issue) => `must be text, found ${typeof issue.input}` }).nullish(),
);

const SPLIT_ALIASES: Record<string, Split> = { val: 'validation', dev: 'validation', valid: 'validation' };
const LANG = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

function rowSchema(options: ConvertOptions) {
  const labels = options.labelValues;
  return z.object({
    question: requiredText,
    passage: requiredText,
    answer: options.kind === 'classification' ? requiredText : optionalText,
    label:
      options.kind === 'classification'
        ? requiredText.refine(
            (l) => labels === undefined || labels.includes(l),
            `not one of the task's labels (${labels?.join(', ') ?? ''})`,
          )
        : z.unknown(),
    lang: optionalText.refine((l) => l == null || LANG.test(l.trim()), 'not a language code (e.g. bn, ja, pt-BR)'),
    split: optionalText
      .transform((s) => (s == null ? null : (SPLIT_ALIASES[s.trim().toLowerCase()] ?? s.trim().toLowerCase())))
      .refine((s) => s === null || (SPLITS as readonly string[]).includes(s), 'must be train, validation or test'),
    id: optionalText,
  });
}

/**
 * Turn parsed rows into examples through a field mapping. Every bad row is reported (line and the
 * file's column name) and left out; good rows are kept. Ids default to `line-N`; a repeated id is
 * reported on the later row.
 */
export function convertRecords(parsed: ParsedFile, options: ConvertOptions): Converted {
  const schema = rowSchema(options);
  const { mapping } = options;
  const mapped = new Set(Object.values(mapping).filter((c): c is string => c !== null));
  const issues: RowIssue[] = [...parsed.issues];
  const examples: Example[] = [];
  const seenIds = new Map<string, number>();
  const read = (record: SourceRecord, column: string | null) => (column === null ? undefined : record.values[column]);
  for (const record of parsed.records) {
    const result = schema.safeParse({
      question: read(record, mapping.question),
      passage: read(record, mapping.passage),
      answer: read(record, mapping.answer),
      label: read(record, mapping.label),
      lang: read(record, mapping.lang),
      split: read(record, mapping.split),
      id: read(record, mapping.id),
    });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path[0] as keyof FieldMapping;
        issues.push({ line: record.line, field: mapping[field] ?? field, message: issue.message });
      }
      continue;
    }
    const row = result.data;
    const id = row.id?.trim() || `line-${record.line}`;
    const firstLine = seenIds.get(id);
    if (firstLine !== undefined) {
      issues.push({ line: record.line, field: mapping.id ?? 'id', message: `duplicate id "${id}" (first on line ${firstLine})` });
      continue;
    }
    seenIds.set(id, record.line);
    const example: Example = {
      id,
      split: (row.split ?? 'train') as Split,
      lang: row.lang?.trim().replace('_', '-') ?? 'und',
      question: row.question,
      passage: row.passage,
      answer: row.answer ?? null,
    };
    if (options.kind === 'classification') example.label = String(row.label).trim();
    if (options.keepExtra) {
      const extra: Record<string, string> = {};
      for (const [key, value] of Object.entries(record.values)) {
        if (!mapped.has(key) && typeof value === 'string') extra[key] = value;
      }
      if (Object.keys(extra).length > 0) example.extra = extra;
    }
    examples.push(example);
  }
  issues.sort((a, b) => a.line - b.line);
  return { examples, issues };
}

/** Distinct non-empty values of the label column, in first-seen order (numbers as text). */
export function distinctLabelValues(parsed: ParsedFile, column: string | null, limit = 1000): string[] {
  if (column === null) return [];
  const values = new Set<string>();
  for (const record of parsed.records) {
    const v = scalarToText(record.values[column]);
    if (typeof v === 'string' && v.trim() !== '') values.add(v.trim());
    if (values.size >= limit) break;
  }
  return [...values];
}
