import type { ImportChoices } from '../../../fiat/dataset/import.ts';
import { classesFrom, countLabelValues, type LabelValues, MAX_LABELS } from '../../../fiat/dataset/labels.ts';
import { autoDetectMapping } from '../../../fiat/dataset/mapping.ts';
import type { ParsedFile } from '../../../fiat/dataset/records.ts';
import type { Label } from '../../../fiat/task/task.ts';

/**
 * The classes proposed for the values found in a label column (see proposedClasses), keeping the
 * verbalizers the user gave before; none for a column with too many values to be a label column.
 */
export function labelsFrom(found: LabelValues, previous: readonly Label[] = []): Label[] {
  return found.more ? [] : classesFrom(found.values, previous);
}

/** First guess for the mapping step: detected columns; classification when a label column has 2-20 classes. */
export function initialChoices(fileName: string, parsed: ParsedFile): ImportChoices {
  const mapping = autoDetectMapping(parsed.columns);
  const labels = labelsFrom(countLabelValues(parsed, mapping.label));
  const classification = mapping.answer !== null && mapping.label !== null && labels.length >= 2 && labels.length <= MAX_LABELS;
  return {
    name: fileName.replace(/\.[^.]+$/, ''),
    kind: classification ? 'classification' : 'extractive-qa',
    mapping,
    labels,
    labelAliases: {},
    noAnswer: 'no answer',
    fileName,
  };
}
