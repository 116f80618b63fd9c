/**
 * Turns an extracted answer into a prediction: a class label through a verbalizer (classification,
 * e.g. XOR-AttriQA's supported / not supported), or a normalised span or "no answer"
 * (extractive QA, where a null gold answer means the passage does not answer the question).
 */
import { tokenOverlapF1 } from '../metrics/squad.ts';

/**
 * SQuAD-style normalisation: Unicode NFKC, lower case, punctuation removed, English articles
 * removed, whitespace collapsed. Scripts without case or articles pass through unchanged.
 */
export function normaliseAnswerText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export type LabelValue = string | number;

/** Words the large model may use for each class. */
export interface Verbalizer {
  labels: { label: LabelValue; names: string[] }[];
}

/** XOR-AttriQA: label 1 = the passage supports the answer. */
export const ATTRIBUTION_VERBALIZER: Verbalizer = {
  labels: [
    { label: 1, names: ['supported', 'yes', 'attributable', 'true'] },
    { label: 0, names: ['not supported', 'unsupported', 'no', 'not attributable', 'false'] },
  ],
};

/**
 * The class an answer names: an exact (normalised) name first; otherwise the longest name found
 * as whole words in the answer ("is not supported by the passage" -> "not supported", not
 * "supported"). Null when no name is found, or when two classes tie for the longest.
 */
export function verbalize(answer: string, verbalizer: Verbalizer): LabelValue | null {
  const text = normaliseAnswerText(answer);
  if (text === '') return null;
  let best: { label: LabelValue; length: number } | null = null;
  let tie = false;
  for (const { label, names } of verbalizer.labels) {
    for (const name of names) {
      const normal = normaliseAnswerText(name);
      if (normal === '') continue;
      if (normal === text) return label;
      if (!containsPhrase(text, normal)) continue;
      if (!best || normal.length > best.length) {
        best = { label, length: normal.length };
        tie = false;
      } else if (normal.length === best.length && best.label !== label) tie = true;
    }
  }
  return best && !tie ? best.label : null;
}

function containsPhrase(text: string, phrase: string): boolean {
  return ` ${text} `.includes(` ${phrase} `);
}

/** Phrases meaning "the passage does not answer this". Single words count only as the whole answer. */
export const DEFAULT_NO_ANSWER_PHRASES: readonly string[] = [
  'no answer',
  'unanswerable',
  'not answerable',
  'cannot be answered',
  'can not be answered',
  'cannot answer',
  'not mentioned',
  'not in the passage',
  'none',
  'n/a',
  'unknown',
];

/** An extractive-QA prediction: normalised text, or null for "no answer". */
export function normaliseQaAnswer(answer: string | null, noAnswerPhrases: readonly string[] = DEFAULT_NO_ANSWER_PHRASES): string | null {
  if (answer === null) return null;
  const text = normaliseAnswerText(answer);
  if (text === '') return null;
  for (const phrase of noAnswerPhrases) {
    const normal = normaliseAnswerText(phrase);
    if (normal === '') continue;
    if (text === normal) return null;
    if (normal.includes(' ') && containsPhrase(text, normal)) return null;
  }
  return text;
}

/** SQuAD token F1 between two normalised answers; null means "no answer" (both null: 1). */
export function tokenF1(prediction: string | null, gold: string | null): number {
  if (prediction === null || gold === null) return prediction === gold ? 1 : 0;
  return tokenOverlapF1(gold.split(' ').filter(Boolean), prediction.split(' ').filter(Boolean));
}
