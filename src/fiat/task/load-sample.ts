import { convertRecords } from '../dataset/convert.ts';
import { parseJsonl } from '../dataset/parse-jsonl.ts';
import { formatRowIssue } from '../dataset/records.ts';
import type { SampleTask } from './samples.ts';
import type { Task } from './task.ts';

const IDENTITY_MAPPING = {
  question: 'question',
  passage: 'passage',
  answer: 'answer',
  label: 'label',
  lang: 'lang',
  split: 'split',
  id: 'id',
} as const;

/**
 * Build a sample task from the texts of its split files (train, validation), through the same
 * validation as imports. Shipped data with a bad row is a bug: it throws with the row's line.
 */
export function parseSampleTask(sample: SampleTask, splitTexts: readonly { file: string; text: string }[]): Task {
  const { folder: _folder, scenario: _scenario, ...info } = sample;
  const examples: Task['examples'] = [];
  for (const { file, text } of splitTexts) {
    const converted = convertRecords(parseJsonl(text), {
      kind: sample.spec.kind,
      mapping: IDENTITY_MAPPING,
      labelValues: sample.spec.kind === 'classification' ? sample.spec.labels.map((l) => l.value) : undefined,
      keepExtra: true,
    });
    const first = converted.issues[0];
    if (first) throw new Error(`Sample ${sample.folder}/${file}: ${formatRowIssue(first)}`);
    examples.push(...converted.examples);
  }
  return { ...info, examples };
}
