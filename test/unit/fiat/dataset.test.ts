import { describe, expect, it } from 'vitest';
import { convertRecords, convertRecordsInSlices } from '../../../src/fiat/dataset/convert.ts';
import {
  buildImportedTask,
  choicesProblem,
  conversionOf,
  conversionProblem,
  parseImportFile,
  type ImportChoices,
} from '../../../src/fiat/dataset/import.ts';
import { countLabelValues, MAX_LABEL_VALUES, proposedClasses } from '../../../src/fiat/dataset/labels.ts';
import { autoDetectMapping, mappingProblems } from '../../../src/fiat/dataset/mapping.ts';
import { detectDelimiter, parseCsv } from '../../../src/fiat/dataset/parse-csv.ts';
import { parseJsonl, parseJsonlInSlices } from '../../../src/fiat/dataset/parse-jsonl.ts';
import { checkImportSize, decodeImportBytes, detectFormat, MAX_IMPORT_BYTES } from '../../../src/fiat/dataset/read.ts';
import { formatRowIssue } from '../../../src/fiat/dataset/records.ts';
import type { Result } from '../../../src/fiat/result.ts';

const failure = (r: Result<unknown>) => (r.ok ? 'ok' : r.error);

const bytes = (text: string) => new TextEncoder().encode(text);
const row = (o: Record<string, unknown>) => JSON.stringify(o);

describe('reading a file', () => {
  it('refuses empty, too large, binary and non-UTF-8 files with one message', () => {
    expect(decodeImportBytes(new Uint8Array())).toEqual({ ok: false, error: 'The file is empty.' });
    expect(decodeImportBytes(bytes('  \n\n'))).toEqual({ ok: false, error: 'The file is empty.' });
    expect(failure(checkImportSize(MAX_IMPORT_BYTES + 1))).toContain('50.0 MiB');
    expect(failure(decodeImportBytes(new Uint8Array([0x7b, 0, 1, 2])))).toContain('not a text file');
    expect(failure(decodeImportBytes(new Uint8Array([0x61, 0xff, 0xfe, 0x62])))).toContain('UTF-8');
  });

  it('drops a BOM', () => {
    expect(decodeImportBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ ok: true, value: 'a' });
  });

  it('detects JSONL and CSV by content, and refuses other text', () => {
    expect(detectFormat('\n {"a":1}')).toEqual({ ok: true, value: 'jsonl' });
    expect(detectFormat('question,passage\nq,p')).toEqual({ ok: true, value: 'csv' });
    expect(detectFormat('question\tpassage\nq\tp')).toEqual({ ok: true, value: 'csv' });
    expect(failure(detectFormat('[{"a":1}]'))).toContain('JSON array');
    expect(failure(detectFormat('Hello world\nthis is prose'))).toContain('neither JSON Lines nor CSV');
  });
});

describe('parseJsonl', () => {
  it('keeps good lines and reports each broken line by number', () => {
    const text = [row({ question: 'a' }), '{broken', '', '[1,2]', row({ passage: 'b' })].join('\n');
    const parsed = parseJsonl(text);
    expect(parsed.records.map((r) => r.line)).toEqual([1, 5]);
    expect(parsed.columns).toEqual(['question', 'passage']);
    expect(parsed.issues.map(formatRowIssue)).toEqual([
      expect.stringMatching(/^line 2: not valid JSON/),
      'line 4: expected a JSON object ({...}) on this line',
    ]);
  });

  it('reads in slices, yielding the lines read, to the same rows as in one go', () => {
    const text = [row({ a: 1 }), '{broken', '', row({ a: 2 }), row({ b: 3 })].join('\n');
    const slices = parseJsonlInSlices(text, 2);
    const done: number[] = [];
    let step = slices.next();
    for (; !step.done; step = slices.next()) done.push(step.value);
    expect(done).toEqual([2, 4]);
    expect(step.value).toEqual(parseJsonl(text));
    expect(step.value.records.map((r) => r.line)).toEqual([1, 4, 5]);
  });

  it('handles CRLF line ends', () => {
    expect(parseJsonl(`${row({ a: 1 })}\r\n${row({ a: 2 })}\r\n`).records).toHaveLength(2);
  });
});

describe('parseCsv', () => {
  it('reads a header row, quoted fields across lines, and numbers rows by their first line', () => {
    const text = 'question,passage\nq1,p1\n\n"q\n2","p, 2"\nq3\nq4,p4\n';
    const parsed = parseCsv(text);
    expect(parsed.columns).toEqual(['question', 'passage']);
    expect(parsed.records).toEqual([
      { line: 2, values: { question: 'q1', passage: 'p1' } },
      { line: 4, values: { question: 'q\n2', passage: 'p, 2' } },
      { line: 7, values: { question: 'q4', passage: 'p4' } },
    ]);
    expect(parsed.issues).toEqual([{ line: 6, message: 'expected 2 fields (as in the header), found 1' }]);
  });

  it('reports an unterminated quote by line', () => {
    const parsed = parseCsv('a,b\n1,2\n"x,3\n4,5\n');
    expect(parsed.records).toHaveLength(1);
    expect(parsed.issues[0]?.line).toBe(3);
  });

  it('detects the delimiter from the header', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb')).toBe('\t');
    expect(detectDelimiter('"x,y";b;c')).toBe(';');
  });
});

describe('field mapping', () => {
  it('auto-detects common column names, each column once', () => {
    expect(autoDetectMapping(['Question', 'context', 'answers', 'ais', 'language', 'ID', 'extra'])).toEqual({
      question: 'Question',
      passage: 'context',
      answer: 'answers',
      label: 'ais',
      lang: 'language',
      split: null,
      id: 'ID',
    });
  });

  it('names the required fields left unmapped', () => {
    const m = autoDetectMapping(['question']);
    expect(mappingProblems(m, 'extractive-qa')).toHaveLength(1);
    expect(mappingProblems(m, 'classification')).toHaveLength(3);
  });
});

describe('convertRecords', () => {
  const mapping = autoDetectMapping(['question', 'passage', 'answer', 'label', 'lang', 'split', 'id']);
  const parsed = parseJsonl(
    [
      row({ id: 'a', question: 'q', passage: 'p', answer: 'x', label: 1, lang: 'bn', split: 'train' }),
      row({ id: 'b', question: '', passage: 'p', answer: 'x', label: 0 }),
      row({ id: 'c', question: 'q', passage: 'p', answer: 'x', label: 7, lang: 'not a lang!' }),
      row({ id: 'a', question: 'q', passage: 'p', answer: 'x', label: 0, split: 'dev' }),
      row({ question: 'q', passage: 'p', answer: 'x', label: '0', split: 'VAL' }),
      row({ question: 3, passage: 'p', label: 1 }),
    ].join('\n'),
  );

  it('keeps good rows and reports every bad one by line and column', () => {
    const { examples, issues } = convertRecords(parsed, { kind: 'classification', mapping, labelValues: ['0', '1'] });
    expect(examples).toEqual([
      { id: 'a', split: 'train', lang: 'bn', question: 'q', passage: 'p', answer: 'x', label: '1' },
      { id: 'line-5', split: 'validation', lang: 'und', question: 'q', passage: 'p', answer: 'x', label: '0' },
    ]);
    expect(issues.map(formatRowIssue)).toEqual([
      'line 2, field question: must not be empty',
      'line 3, field label: "7" is not one of the task\'s labels (0, 1)',
      'line 3, field lang: not a language code (e.g. bn, ja, pt-BR)',
      'line 4, field id: duplicate id "a" (first on line 1)',
      'line 6, field question: must be text, found the number 3',
      'line 6, field answer: missing',
    ]);
  });

  it('refuses JSON values of the wrong type at their line and field, and reads a number as a label', () => {
    const mixed = parseJsonl(
      [
        row({ id: 12345, question: 'q', passage: 'p', answer: 'x', label: 1 }),
        row({ question: 'q', passage: { text: 'p' }, answer: ['x'], label: 0, lang: 5, split: true }),
        row({ question: 'q', passage: 'p', answer: 'x', label: { value: 1 } }),
        row({ id: ' b ', question: 'q', passage: 'p', answer: 'x', label: true }),
      ].join('\n'),
    );
    const { examples, issues } = convertRecords(mixed, { kind: 'classification', mapping, labelValues: ['0', '1', 'true'] });
    expect(issues.map(formatRowIssue)).toEqual([
      'line 1, field id: must be text, found the number 12345',
      'line 2, field passage: must be text, found an object',
      'line 2, field answer: must be text, found a list',
      'line 2, field lang: must be text, found the number 5',
      'line 2, field split: must be text, found true',
      'line 3, field label: must be a label (text, a number or true/false), found an object',
    ]);
    expect(examples.map((e) => [e.id, e.label])).toEqual([['b', 'true']]);
  });

  it('reads every CSV cell as text: an id of digits is an id', () => {
    const csv = parseCsv('id,question,passage,answer\n12345,q,p,\n');
    const { examples, issues } = convertRecords(csv, { kind: 'extractive-qa', mapping: autoDetectMapping(csv.columns) });
    expect(issues).toEqual([]);
    expect(examples.map((e) => e.id)).toEqual(['12345']);
  });

  it('reports a label outside the classes, unless it is mapped to one', () => {
    const labelled = parseJsonl(['yes', 'no', 'maybe', 'Yes'].map((label) => row({ question: 'q', passage: 'p', answer: 'x', label })).join('\n'));
    const options = { kind: 'classification', mapping, labelValues: ['yes', 'no'] } as const;
    expect(convertRecords(labelled, options).issues.map(formatRowIssue)).toEqual([
      'line 3, field label: "maybe" is not one of the task\'s labels (yes, no)',
      'line 4, field label: "Yes" is not one of the task\'s labels (yes, no)',
    ]);
    const mapped = convertRecords(labelled, { ...options, labelAliases: { maybe: 'no', Yes: 'yes' } });
    expect(mapped.issues).toEqual([]);
    expect(mapped.examples.map((e) => e.label)).toEqual(['yes', 'no', 'no', 'yes']);
  });

  it('converts in slices, yielding the rows done, to the same result as in one go', () => {
    const slices = convertRecordsInSlices(parsed, { kind: 'classification', mapping, labelValues: ['0', '1'] }, 2);
    const done: number[] = [];
    let step = slices.next();
    for (; !step.done; step = slices.next()) done.push(step.value);
    expect(done).toEqual([2, 4]);
    expect(step.value).toEqual(convertRecords(parsed, { kind: 'classification', mapping, labelValues: ['0', '1'] }));
  });

  it('for extractive QA reads an empty or missing answer as "no answer"', () => {
    const qa = parseJsonl([row({ question: 'q', passage: 'p', answer: '' }), row({ question: 'q', passage: 'p' })].join('\n'));
    const { examples, issues } = convertRecords(qa, { kind: 'extractive-qa', mapping: autoDetectMapping(qa.columns) });
    expect(issues).toEqual([]);
    expect(examples.map((e) => e.answer)).toEqual([null, null]);
    expect(examples[0]).not.toHaveProperty('label');
  });

});

describe('label values', () => {
  const labelled = (labels: readonly unknown[]) => parseJsonl(labels.map((label) => row({ label })).join('\n'));

  it('counts the distinct values of a column, numbers as text, blanks and objects not at all', () => {
    expect(countLabelValues(labelled([1, '0', 0, ' 1 ', '', null, { a: 1 }, 'yes']), 'label')).toEqual({
      values: [
        { value: '1', count: 2 },
        { value: '0', count: 2 },
        { value: 'yes', count: 1 },
      ],
      more: false,
    });
    expect(countLabelValues(labelled([1]), null)).toEqual({ values: [], more: false });
  });

  it('lists at most MAX_LABEL_VALUES values and says when there are more', () => {
    const many = countLabelValues(labelled(Array.from({ length: MAX_LABEL_VALUES + 5 }, (_, i) => `v${i}`)), 'label');
    expect(many.values).toHaveLength(MAX_LABEL_VALUES);
    expect(many.more).toBe(true);
  });

  it('proposes the frequent values as classes and leaves the rare ones to the user', () => {
    const found = (counts: Record<string, number>) => Object.entries(counts).map(([value, count]) => ({ value, count }));
    expect(proposedClasses(found({ yes: 4, no: 4, maybe: 1 }))).toEqual(['yes', 'no']);
    expect(proposedClasses(found({ yes: 400, no: 300, Yes: 3 }))).toEqual(['yes', 'no']);
    expect(proposedClasses(found({ a: 500, b: 200, c: 3 }))).toEqual(['a', 'b']);
    expect(proposedClasses(found({ a: 30, b: 20, c: 3 }))).toEqual(['a', 'b', 'c']);
    // Nothing to go by in a tiny file: every value.
    expect(proposedClasses(found({ yes: 1, no: 1 }))).toEqual(['yes', 'no']);
    expect(proposedClasses(found({ yes: 5, no: 1 }))).toEqual(['yes', 'no']);
  });
});

describe('importing a file as a task', () => {
  const file = bytes(
    ['question,passage,answer,label', 'q1,p1,a1,yes', 'q2,p2,a2,no', ',p3,a3,yes', 'q4,p4,a4'].join('\n'),
  );
  const choices = (over: Partial<ImportChoices> = {}): ImportChoices => ({
    name: 'My task',
    kind: 'classification',
    mapping: autoDetectMapping(['question', 'passage', 'answer', 'label']),
    labels: [
      { value: 'yes', verbalizer: 'supported' },
      { value: 'no', verbalizer: 'not supported' },
    ],
    labelAliases: {},
    noAnswer: 'no answer',
    fileName: 'mine.csv',
    ...over,
  });

  it('builds a task from the good rows and reports the bad ones', () => {
    const parsed = parseImportFile(file);
    if (!parsed.ok) throw new Error(parsed.error);
    const built = buildImportedTask(parsed.value, choices(), 'imported:1', new Date('2026-01-02T00:00:00Z'));
    if (!built.ok) throw new Error(built.error);
    expect(built.value.task.examples.map((e) => e.question)).toEqual(['q1', 'q2']);
    expect(built.value.task.spec).toEqual({ kind: 'classification', labels: choices().labels });
    expect(built.value.task.metrics).toEqual(['accuracy', 'auc-pr']);
    expect(built.value.task.attribution.licence).toBe('not stated');
    expect(built.value.issues.map(formatRowIssue)).toEqual([
      'line 4, field question: must not be empty',
      'line 5: expected 4 fields (as in the header), found 3',
    ]);
  });

  it('refuses choices that cannot make a task', () => {
    expect(choicesProblem(choices({ name: ' ' }))).toBe('Give the task a name.');
    expect(choicesProblem(choices({ labels: [{ value: 'yes', verbalizer: 'y' }] }))).toContain('The task has 1 class;');
    expect(choicesProblem(choices({ labels: [{ value: 'a', verbalizer: 'x' }, { value: 'b', verbalizer: ' ' }] }))).toContain('"b"');
    expect(choicesProblem(choices({ kind: 'extractive-qa', noAnswer: '' }))).toContain('no answer');
    expect(choicesProblem(choices({ labelAliases: { maybe: 'perhaps' } }))).toBe('Label value "maybe" counts as "perhaps", which is not a class.');
    expect(
      choicesProblem(choices({ labels: [{ value: 'a', verbalizer: 'same' }, { value: 'b', verbalizer: 'same ' }] })),
    ).toContain('Two labels have the verbalizer "same"');
  });

  it('converts the rows by what decides which rows are good, not by names, verbalizers or texts', () => {
    const typed = choices({
      name: 'Other',
      labels: [
        { value: 'yes', verbalizer: 'sup' },
        { value: 'no', verbalizer: '' },
      ],
      source: 'Sou',
      licence: 'CC',
      noAnswer: 'n',
    });
    expect(conversionOf(typed)).toEqual(conversionOf(choices()));
    expect(conversionProblem(typed)).toBeUndefined();
    expect(choicesProblem(typed)).toContain('verbalizer');
    expect(conversionOf(choices({ labelAliases: { maybe: 'no' } }))).not.toEqual(conversionOf(choices()));
  });

  it('gives one message for a file with no usable row at all', () => {
    expect(failure(parseImportFile(bytes('{not json\n{also not')))).toContain(
      'No row of this file could be read as JSON Lines (line 1: not valid JSON',
    );
    expect(parseImportFile(bytes('question,passage\n'))).toEqual({ ok: false, error: 'The file has a header but no rows.' });
  });
});
