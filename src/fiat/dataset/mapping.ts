import type { TaskKind } from '../task/task.ts';

/** The example fields a file's columns can be mapped to. */
export const EXAMPLE_FIELDS = ['question', 'passage', 'answer', 'label', 'lang', 'split', 'id'] as const;
export type ExampleField = (typeof EXAMPLE_FIELDS)[number];

/** For each example field, the file column it is read from (null: not in the file). */
export type FieldMapping = Record<ExampleField, string | null>;

export const FIELD_DESCRIPTIONS: Record<ExampleField, string> = {
  question: 'the question (required)',
  passage: 'the passage the question is asked about (required)',
  answer: 'classification: the answer being judged (required); extractive QA: the gold answer span, empty = no answer',
  label: 'classification: the gold label (required); not used for extractive QA',
  lang: 'language code of the question (default: und)',
  split: 'train, validation or test (default: train)',
  id: 'a unique id (default: line-N)',
};

/** Fields a row must have for a task kind; the others have defaults. */
export function requiredFields(kind: TaskKind): ExampleField[] {
  return kind === 'classification' ? ['question', 'passage', 'answer', 'label'] : ['question', 'passage'];
}

/** Fields that mean something for a task kind (extractive QA has no label column). */
export function fieldsFor(kind: TaskKind): ExampleField[] {
  return kind === 'classification' ? [...EXAMPLE_FIELDS] : EXAMPLE_FIELDS.filter((f) => f !== 'label');
}

const SYNONYMS: Record<ExampleField, readonly string[]> = {
  question: ['question', 'query', 'q', 'prompt', 'input', 'instruction'],
  passage: ['passage', 'context', 'paragraph', 'document', 'doc', 'text', 'evidence'],
  answer: ['answer', 'answers', 'response', 'output', 'prediction', 'target'],
  label: ['label', 'labels', 'gold', 'class', 'ais', 'attributable', 'y'],
  lang: ['lang', 'language', 'locale', 'language_code', 'lang_code'],
  split: ['split', 'partition', 'subset', 'fold'],
  id: ['id', 'uid', 'example_id', 'guid', 'qid', 'key'],
};

const normalize = (name: string) => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * Guess the mapping from column names: exact synonyms first (`context` -> passage), each column used
 * at most once. Columns the guess cannot place stay unmapped for the user to choose.
 */
export function autoDetectMapping(columns: readonly string[]): FieldMapping {
  const mapping: FieldMapping = { question: null, passage: null, answer: null, label: null, lang: null, split: null, id: null };
  const used = new Set<string>();
  for (const field of EXAMPLE_FIELDS) {
    for (const synonym of SYNONYMS[field]) {
      const column = columns.find((c) => !used.has(c) && normalize(c) === synonym);
      if (column !== undefined) {
        mapping[field] = column;
        used.add(column);
        break;
      }
    }
  }
  return mapping;
}

/** What is wrong with a mapping as a whole (a required field unmapped), or nothing. */
export function mappingProblems(mapping: FieldMapping, kind: TaskKind): string[] {
  return requiredFields(kind)
    .filter((field) => mapping[field] === null)
    .map((field) => `Choose the column that holds the ${field} (${FIELD_DESCRIPTIONS[field]}).`);
}
