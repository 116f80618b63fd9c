import { z } from 'zod';
import { fail, ok, type Result } from '../result.ts';
import type { Label } from '../task/task.ts';
import { normaliseAnswerText, type Verbalizer } from './answer-normalise.ts';

/**
 * Answer synonyms: per label value of a classification task, other words the large model may answer
 * with ("yes" for XOR-AttriQA's "supported", "はい" in Japanese). They are read like the label's
 * verbalizer when the answer pattern's capture is turned into a label; they never change what the
 * small model is tuned to write (that stays the verbalizer).
 */
export const AnswerSynonymsSchema = z.record(z.string().min(1), z.array(z.string().min(1)));
export type AnswerSynonyms = z.infer<typeof AnswerSynonymsSchema>;

/** The words that read as each label: its verbalizer first, then its synonyms. */
export function verbalizerWithSynonyms(labels: readonly Label[], synonyms: AnswerSynonyms): Verbalizer {
  return { labels: labels.map((l) => ({ label: l.value, names: [l.verbalizer, ...(synonyms[l.value] ?? [])] })) };
}

/** A label's synonyms as the field shows them. */
export const formatSynonyms = (words: readonly string[]): string => words.join(', ');

/**
 * Reads the comma-separated synonyms typed for `label`. A trailing comma is allowed (the user is
 * still typing); refused, with the reason: an empty word between commas, a word with no letters or
 * digits (it would match nothing), and a word that already names another label (an answer must read
 * as one label only).
 */
export function parseSynonyms(text: string, label: string, labels: readonly Label[], synonyms: AnswerSynonyms): Result<string[]> {
  const pieces = text.split(',').map((w) => w.trim());
  while (pieces.length > 0 && pieces.at(-1) === '') pieces.pop();
  if (pieces.includes('')) return fail('an empty word between two commas; remove the extra comma');
  const others = new Map<string, string>();
  for (const other of labels) {
    if (other.value === label) continue;
    for (const name of [other.verbalizer, ...(synonyms[other.value] ?? [])]) others.set(normaliseAnswerText(name), other.verbalizer);
  }
  const words: string[] = [];
  for (const word of pieces) {
    const normal = normaliseAnswerText(word);
    if (normal === '') return fail(`“${word}” has no letters or digits, so no answer can match it`);
    const taken = others.get(normal);
    if (taken !== undefined) return fail(`“${word}” already reads as the label ${taken}`);
    if (!words.includes(word)) words.push(word);
  }
  return ok(words);
}
