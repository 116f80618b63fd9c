import { distinctLabelValues } from '../../../fiat/dataset/convert.ts';
import { MAX_LABELS, type ImportChoices } from '../../../fiat/dataset/import.ts';
import { autoDetectMapping } from '../../../fiat/dataset/mapping.ts';
import type { ParsedFile } from '../../../fiat/dataset/records.ts';
import type { Label } from '../../../fiat/task/task.ts';

/** Labels found in a column, each verbalized as itself until the user says otherwise. */
export function labelsFrom(parsed: ParsedFile, column: string | null, previous: readonly Label[] = []): Label[] {
  return distinctLabelValues(parsed, column, MAX_LABELS + 1).map((value) => ({
    value,
    verbalizer: previous.find((l) => l.value === value)?.verbalizer ?? value,
  }));
}

/** First guess for the mapping step: detected columns; classification when a label column has 2-20 values. */
export function initialChoices(fileName: string, parsed: ParsedFile): ImportChoices {
  const mapping = autoDetectMapping(parsed.columns);
  const labels = labelsFrom(parsed, mapping.label);
  const classification = mapping.answer !== null && labels.length >= 2 && labels.length <= MAX_LABELS && mapping.label !== null;
  return {
    name: fileName.replace(/\.[^.]+$/, ''),
    kind: classification ? 'classification' : 'extractive-qa',
    mapping,
    labels,
    noAnswer: 'no answer',
    fileName,
  };
}
