import { fail, ok, type Result } from '../result.ts';
import type { Label, MetricName, Task, TaskKind, TaskSpec } from '../task/task.ts';
import { type Converted, type ConvertOptions, convertRecords } from './convert.ts';
import { MAX_LABELS } from './labels.ts';
import { type FieldMapping, mappingProblems } from './mapping.ts';
import { parseCsv } from './parse-csv.ts';
import { parseJsonlInSlices } from './parse-jsonl.ts';
import { decodeImportBytes, detectFormat } from './read.ts';
import { formatRowIssue, type ParsedFile, type RowIssue } from './records.ts';
import { runToEnd, type Sliced } from '../slices.ts';

/**
 * Read a file's bytes into rows. One message (and nothing parsed) when the file is empty, too large,
 * binary, neither JSON Lines nor CSV, or has no rows at all; otherwise the rows, with every broken
 * row reported by line. JSON Lines are read in slices (see slices.ts); CSV in one go.
 */
export function* parseImportFileInSlices(bytes: Uint8Array): Sliced<Result<ParsedFile>> {
  const text = decodeImportBytes(bytes);
  if (!text.ok) return text;
  const format = detectFormat(text.value);
  if (!format.ok) return format;
  const parsed = format.value === 'jsonl' ? yield* parseJsonlInSlices(text.value) : parseCsv(text.value);
  if (parsed.records.length === 0) {
    const first = parsed.issues[0];
    if (first === undefined) return fail('The file has a header but no rows.');
    const kind = parsed.format === 'jsonl' ? 'JSON Lines' : 'CSV';
    return fail(`No row of this file could be read as ${kind} (${formatRowIssue(first)}).`);
  }
  return ok(parsed);
}

/** `parseImportFileInSlices` in one go (the test API, tests). */
export function parseImportFile(bytes: Uint8Array): Result<ParsedFile> {
  return runToEnd(parseImportFileInSlices(bytes));
}

/** What the user chose in the mapping step. */
export interface ImportChoices {
  name: string;
  kind: TaskKind;
  mapping: FieldMapping;
  /** classification: the classes, label values of the file with their verbalizers, as the user confirmed them. */
  labels: Label[];
  /**
   * classification: other label values of the file and the class each counts as ("maybe" -> "no").
   * A value that is neither a class nor mapped here is left out, each of its rows reported.
   */
  labelAliases: Record<string, string>;
  /** extractive-qa: what the model says when the passage holds no answer. */
  noAnswer: string;
  fileName: string;
  /** Where the data comes from and under what licence, if the user says; shown as its attribution. */
  source?: string;
  licence?: string;
}

export interface ImportOutcome {
  task: Task;
  /** Rows left out, by line. */
  issues: RowIssue[];
}

/** What the rows are converted with: the part of the choices that decides which rows are good. */
export function conversionOf(choices: ImportChoices): ConvertOptions {
  const classification = choices.kind === 'classification';
  return {
    kind: choices.kind,
    mapping: choices.mapping,
    labelValues: classification ? choices.labels.map((l) => l.value) : undefined,
    labelAliases: classification ? choices.labelAliases : undefined,
  };
}

/**
 * One message for choices whose rows cannot be converted (a required field unmapped, too few or too
 * many classes, a value mapped to no class), or none. It does not look at the name, verbalizers or
 * texts, so typing them never asks for the rows to be converted again.
 */
export function conversionProblem(choices: ImportChoices): string | undefined {
  const mapping = mappingProblems(choices.mapping, choices.kind);
  if (mapping.length > 0) return mapping.join(' ');
  if (choices.kind !== 'classification') return undefined;
  const n = choices.labels.length;
  if (n < 2 || n > MAX_LABELS) {
    return `The task has ${n} class${n === 1 ? '' : 'es'}; a classification task needs 2 to ${MAX_LABELS}: choose which label values are classes.`;
  }
  const classes = new Set(choices.labels.map((l) => l.value));
  const stray = Object.entries(choices.labelAliases).find(([, target]) => !classes.has(target));
  if (stray) return `Label value "${stray[0]}" counts as "${stray[1]}", which is not a class.`;
  return undefined;
}

/** One message for choices that cannot make a task (unmapped field, bad label set, no name), or none. */
export function choicesProblem(choices: ImportChoices): string | undefined {
  if (choices.name.trim() === '') return 'Give the task a name.';
  const conversion = conversionProblem(choices);
  if (conversion !== undefined) return conversion;
  if (choices.kind === 'classification') {
    const empty = choices.labels.find((l) => l.verbalizer.trim() === '');
    if (empty) return `Give label "${empty.value}" a verbalizer (the words the model writes for it).`;
    const verbalizers = choices.labels.map((l) => l.verbalizer.trim());
    const twice = choices.labels.find((l, i) => verbalizers.indexOf(l.verbalizer.trim()) !== i);
    if (twice) return `Two labels have the verbalizer "${twice.verbalizer.trim()}"; the model's answer could not tell them apart.`;
  } else if (choices.noAnswer.trim() === '') {
    return 'Say what the model answers when the passage has no answer (e.g. "no answer").';
  }
  return undefined;
}

function metricsFor(spec: TaskSpec): MetricName[] {
  if (spec.kind === 'extractive-qa') return ['token-f1', 'exact-match'];
  return spec.labels.length === 2 ? ['accuracy', 'auc-pr'] : ['accuracy'];
}

/**
 * The imported task from rows already converted with `conversionOf(choices)` (the mapping step
 * converts once per mapping change, not again on import): good rows become examples, bad rows are
 * reported.
 */
export function importedTask(converted: Converted, choices: ImportChoices, id: string, importedAt: Date): Result<ImportOutcome> {
  const problem = choicesProblem(choices);
  if (problem !== undefined) return fail(problem);
  const spec: TaskSpec =
    choices.kind === 'classification'
      ? { kind: 'classification', labels: choices.labels.map((l) => ({ value: l.value, verbalizer: l.verbalizer.trim() })) }
      : { kind: 'extractive-qa', noAnswer: choices.noAnswer.trim() };
  const { examples, issues } = converted;
  if (examples.length === 0) return fail(`No row of ${choices.fileName} could be used; see the problems listed.`);
  const task: Task = {
    id,
    name: choices.name.trim(),
    description: `Imported from ${choices.fileName} on ${importedAt.toISOString().slice(0, 10)} (${examples.length} examples).`,
    spec,
    metrics: metricsFor(spec),
    attribution: {
      source: choices.source?.trim() || `Imported file ${choices.fileName}`,
      licence: choices.licence?.trim() || 'not stated',
    },
    examples,
  };
  return ok({ task, issues });
}

/** Convert the rows and build the imported task in one go (the test API, tests). */
export function buildImportedTask(parsed: ParsedFile, choices: ImportChoices, id: string, importedAt: Date): Result<ImportOutcome> {
  const problem = choicesProblem(choices);
  if (problem !== undefined) return fail(problem);
  return importedTask(convertRecords(parsed, conversionOf(choices)), choices, id, importedAt);
}
