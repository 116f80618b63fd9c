import { fail, ok, type Result } from '../result.ts';
import type { Label, MetricName, Task, TaskKind, TaskSpec } from '../task/task.ts';
import { convertRecords } from './convert.ts';
import { type FieldMapping, mappingProblems } from './mapping.ts';
import { parseCsv } from './parse-csv.ts';
import { parseJsonl } from './parse-jsonl.ts';
import { decodeImportBytes, detectFormat } from './read.ts';
import { formatRowIssue, type ParsedFile, type RowIssue } from './records.ts';

/** A classification task has between 2 and this many labels. */
export const MAX_LABELS = 20;

/**
 * Read a file's bytes into rows. One message (and nothing parsed) when the file is empty, too large,
 * binary, neither JSON Lines nor CSV, or has no rows at all; otherwise the rows, with every broken
 * row reported by line.
 */
export function parseImportFile(bytes: Uint8Array): Result<ParsedFile> {
  const text = decodeImportBytes(bytes);
  if (!text.ok) return text;
  const format = detectFormat(text.value);
  if (!format.ok) return format;
  const parsed = format.value === 'jsonl' ? parseJsonl(text.value) : parseCsv(text.value);
  if (parsed.records.length === 0) {
    const first = parsed.issues[0];
    if (first === undefined) return fail('The file has a header but no rows.');
    const kind = parsed.format === 'jsonl' ? 'JSON Lines' : 'CSV';
    return fail(`No row of this file could be read as ${kind} (${formatRowIssue(first)}).`);
  }
  return ok(parsed);
}

/** What the user chose in the mapping step. */
export interface ImportChoices {
  name: string;
  kind: TaskKind;
  mapping: FieldMapping;
  /** classification: the label values found in the file with their verbalizers. */
  labels: Label[];
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

/** One message for choices that cannot make a task (unmapped field, bad label set), or none. */
export function choicesProblem(choices: ImportChoices): string | undefined {
  if (choices.name.trim() === '') return 'Give the task a name.';
  const mapping = mappingProblems(choices.mapping, choices.kind);
  if (mapping.length > 0) return mapping.join(' ');
  if (choices.kind === 'classification') {
    const n = choices.labels.length;
    if (n < 2 || n > MAX_LABELS) {
      return `The label column has ${n} distinct value${n === 1 ? '' : 's'}; a classification task needs 2 to ${MAX_LABELS}.`;
    }
    const empty = choices.labels.find((l) => l.verbalizer.trim() === '');
    if (empty) return `Give label "${empty.value}" a verbalizer (the words the model writes for it).`;
  } else if (choices.noAnswer.trim() === '') {
    return 'Say what the model answers when the passage has no answer (e.g. "no answer").';
  }
  return undefined;
}

function metricsFor(spec: TaskSpec): MetricName[] {
  if (spec.kind === 'extractive-qa') return ['token-f1', 'exact-match'];
  return spec.labels.length === 2 ? ['accuracy', 'auc-pr'] : ['accuracy'];
}

/** Build the imported task: good rows become examples, bad rows are reported. */
export function buildImportedTask(parsed: ParsedFile, choices: ImportChoices, id: string, importedAt: Date): Result<ImportOutcome> {
  const problem = choicesProblem(choices);
  if (problem !== undefined) return fail(problem);
  const spec: TaskSpec =
    choices.kind === 'classification'
      ? { kind: 'classification', labels: choices.labels.map((l) => ({ value: l.value, verbalizer: l.verbalizer.trim() })) }
      : { kind: 'extractive-qa', noAnswer: choices.noAnswer.trim() };
  const { examples, issues } = convertRecords(parsed, {
    kind: choices.kind,
    mapping: choices.mapping,
    labelValues: spec.kind === 'classification' ? spec.labels.map((l) => l.value) : undefined,
  });
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
