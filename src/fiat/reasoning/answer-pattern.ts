/**
 * The answer pattern: a regular expression with one capture group that finds the large model's
 * final answer in its reasoning, e.g. "... So the answer is supported." -> "supported".
 * The last match wins (a reasoning may restate candidate answers before concluding).
 */
export const DEFAULT_ANSWER_PATTERN = 'so the answer is\\s*:?\\s*(.+)';

export interface AnswerPatternSettings {
  /** Regular expression source (JavaScript syntax) with a capture group around the answer. */
  source: string;
  /** Off by default: "So the answer is" and "so the Answer Is" both match. */
  caseSensitive: boolean;
}

export const DEFAULT_ANSWER_PATTERN_SETTINGS: Readonly<AnswerPatternSettings> = Object.freeze({
  source: DEFAULT_ANSWER_PATTERN,
  caseSensitive: false,
});

export type CompiledAnswerPattern = { ok: true; regex: RegExp } | { ok: false; message: string };

/** Compiles a user's pattern, or says plainly what is wrong with it (shown next to the field). */
export function compileAnswerPattern(settings: AnswerPatternSettings): CompiledAnswerPattern {
  let regex: RegExp;
  try {
    regex = new RegExp(settings.source, settings.caseSensitive ? 'gu' : 'giu');
  } catch (error) {
    return { ok: false, message: `not a valid regular expression: ${error instanceof Error ? error.message : String(error)}` };
  }
  const groups = (new RegExp(`${settings.source}|`, 'u').exec('')?.length ?? 1) - 1;
  if (groups < 1) return { ok: false, message: 'the pattern needs a capture group, e.g. so the answer is (.+), around the answer' };
  if (new RegExp(settings.source, regex.flags.replace('g', '')).test('')) {
    return { ok: false, message: 'the pattern matches empty text; anchor it on words such as "So the answer is"' };
  }
  return { ok: true, regex };
}

/**
 * The final answer in `reasoning`: the first capture group that matched, of the last match,
 * trimmed of surrounding quotes, markdown emphasis and trailing sentence punctuation.
 * Null when the pattern does not match (the reasoning gave no answer in the expected form).
 */
export function extractAnswer(reasoning: string, regex: RegExp): string | null {
  const global = regex.global ? regex : new RegExp(regex.source, `${regex.flags}g`);
  let last: RegExpMatchArray | undefined;
  for (const match of reasoning.matchAll(global)) last = match;
  if (!last) return null;
  const captured = last.slice(1).find((group) => group !== undefined) ?? last[0];
  const cleaned = cleanAnswer(captured);
  return cleaned === '' ? null : cleaned;
}

function cleanAnswer(text: string): string {
  let out = text.trim();
  for (let previous = ''; previous !== out; ) {
    previous = out;
    out = out
      .replace(/[.。!！]+$/u, '')
      .replace(/^\*+|\*+$/g, '')
      .replace(/^["'“”‘’«»「」]+|["'“”‘’«»「」]+$/gu, '')
      .trim();
  }
  return out;
}
