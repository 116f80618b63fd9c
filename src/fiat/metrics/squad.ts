/**
 * SQuAD-style exact match and token F1, as the official SQuAD v2.0 evaluation script (evaluate-v2.0.py) scores one
 * question: its normalize_answer, compute_exact, compute_f1, and get_raw_scores' handling of gold answers and of
 * "no answer". Replayed against the script's own functions in test/fixtures/metrics/squad.json and unicode.json.
 *
 * The normalisation is the English one (articles a / an / the) on purpose: in the studio's QA tasks the passages
 * and gold spans are English even when the question is not (xor_tydi_rc, xquad_xling), so the official script's
 * rules are the right ones and the numbers compare with published ones. It is not the reasoning cache's agreement
 * normalisation (fiat/reasoning/answer-normalise.ts: NFKC, all Unicode punctuation), which answers a different
 * question and must not change these scores.
 */

/** Python's string.punctuation, the only characters the script removes (not “ ” – — ¿ or other Unicode ones). */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/**
 * `re.sub(r'\b(a|an|the)\b', ' ', text)` with Python 3's Unicode `\b`: a word character there is one for which
 * str.isalnum() holds, or `_` (letters and numbers of any script; combining marks are not). JavaScript's `\b` is
 * ASCII-only, hence the lookarounds. Same set as Python 3.11 (Unicode 14) for every character assigned there.
 */
const ARTICLE = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/**
 * What Python's str.split() with no argument splits on (str.isspace()): JavaScript's `\s` differs by including
 * U+FEFF and leaving out U+001C-U+001F and U+0085.
 */
// eslint-disable-next-line no-control-regex -- U+001C-U+001F are whitespace to Python (str.isspace()).
const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * normalize_answer: lower case, ASCII punctuation removed, then articles, then whitespace runs made one space.
 * toLowerCase is Python's str.lower() (final sigma included) for every character of Unicode 14 (unicode.json).
 */
export function normalizeAnswer(text: string): string {
  const withoutArticles = text.toLowerCase().replace(PUNCTUATION, '').replace(ARTICLE, ' ');
  return withoutArticles
    .split(PYTHON_WHITESPACE)
    .filter((word) => word !== '')
    .join(' ');
}

/** get_tokens: the normalised answer's words; none for an answer that normalises to "" (= no answer). */
export function answerTokens(text: string): string[] {
  const normalized = normalizeAnswer(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** compute_exact: 1 when the normalised texts are equal (two no-answers included), else 0. */
export function exactMatch(gold: string, prediction: string): 0 | 1 {
  return normalizeAnswer(gold) === normalizeAnswer(prediction) ? 1 : 0;
}

/**
 * compute_f1: the harmonic mean of token precision and recall, tokens shared counted with multiplicity (Python's
 * Counter &). When either side has no tokens it is 1 if both have none, else 0: a no-answer scores only against
 * a no-answer.
 */
export function tokenF1(gold: string, prediction: string): number {
  return tokenOverlapF1(answerTokens(gold), answerTokens(prediction));
}

/** compute_f1 on tokens already made (tokenF1 above; the reasoning cache's agreement on its own tokens). */
export function tokenOverlapF1(goldTokens: readonly string[], predictedTokens: readonly string[]): number {
  if (goldTokens.length === 0 || predictedTokens.length === 0) return goldTokens.length === predictedTokens.length ? 1 : 0;
  const left = new Map<string, number>();
  for (const token of goldTokens) left.set(token, (left.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of predictedTokens) {
    const count = left.get(token) ?? 0;
    if (count > 0) {
      same += 1;
      left.set(token, count - 1);
    }
  }
  if (same === 0) return 0;
  // The script's operations in its order, so the float result is the same bits.
  const precision = same / predictedTokens.length;
  const recall = same / goldTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

export interface AnswerScore {
  exactMatch: 0 | 1;
  tokenF1: number;
}

/**
 * A question's gold answers: one span (an Example's `answer`), several (SQuAD-style data), or null for a
 * question the passage does not answer.
 */
export type GoldAnswers = string | readonly string[] | null;

/** The gold answers that count: those that do not normalise to "" (none: the question has no answer). */
export function answerableGolds(gold: GoldAnswers): string[] {
  const golds = gold === null ? [] : typeof gold === 'string' ? [gold] : gold;
  return golds.filter((answer) => normalizeAnswer(answer) !== '');
}

/** Whether a prediction says "no answer": null, or a text that normalises to "" as the script's "" does. */
export function isNoAnswer(prediction: string | null): boolean {
  return prediction === null || normalizeAnswer(prediction) === '';
}

/**
 * One question scored as get_raw_scores does: gold answers that normalise to "" are dropped, and when none is
 * left the only right answer is no answer; each score is the best over the golds. A null prediction means the
 * model said there is no answer (the script's ""); so does any prediction that normalises to "" ("the", "...").
 */
export function scoreAnswer(gold: GoldAnswers, prediction: string | null): AnswerScore {
  const answerable = answerableGolds(gold);
  const candidates = answerable.length > 0 ? answerable : [''];
  const predicted = prediction ?? '';
  let best: AnswerScore = { exactMatch: 0, tokenF1: 0 };
  for (const candidate of candidates) {
    const exact = exactMatch(candidate, predicted);
    const f1 = tokenF1(candidate, predicted);
    best = { exactMatch: exact > best.exactMatch ? exact : best.exactMatch, tokenF1: Math.max(f1, best.tokenF1) };
  }
  return best;
}

/**
 * The small model's output as a prediction: null when it says the task's no-answer text (what `targetOf` tunes
 * it to write, e.g. "no answer"), compared after normalisation so "No answer." counts; otherwise the text.
 */
export function qaPredictionOf(output: string, noAnswer: string): string | null {
  return isNoAnswer(output) || normalizeAnswer(output) === normalizeAnswer(noAnswer) ? null : output;
}
