import type { ModelRef } from '../../../../fiat/experiments/spec.ts';

/**
 * The queue builder's typed fields, parsed (QueueBuilder.tsx): training-set sizes and seeds as comma-separated lists,
 * and the base checkpoint as repo@revision. Pure: each returns the values or every problem found, in the user's words,
 * for the field to show under itself; the text itself stays as typed (the form keeps it).
 */

export type FieldParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The largest seed a run accepts (fiat/project/tuning-settings.ts SETTING_RANGES.seed: a 32-bit unsigned integer). */
const MAX_SEED = 2 ** 32 - 1;

/** The word that stands for the whole train split in the sizes field. */
export const ALL_EXAMPLES = 'all';

/** Comma-separated entries, trimmed; empty entries (a trailing comma, ", ,") are skipped, not errors. */
function entries(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** Number() also reads "1e1", "0x10" and "2.0"; only digits (with a sign) are taken, so what runs is what was typed. */
function wholeNumber(entry: string): number | null {
  return /^[+-]?\d+$/.test(entry) ? Number(entry) : null;
}

function problems<T>(found: readonly string[], value: () => T): FieldParse<T> {
  return found.length > 0 ? { ok: false, message: found.join(' ') } : { ok: true, value: value() };
}

/** "x is listed twice" (or "x is listed twice (as 120 and all)") for each value given more than once. */
function duplicates(values: readonly { value: number; entry: string }[]): string[] {
  const byValue = new Map<number, string[]>();
  for (const { value, entry } of values) byValue.set(value, [...(byValue.get(value) ?? []), entry]);
  return [...byValue].flatMap(([value, typed]) => {
    if (typed.length < 2) return [];
    const spellings = [...new Set(typed)];
    return [`${value} is listed ${typed.length === 2 ? 'twice' : `${typed.length} times`}${spellings.length > 1 ? ` (as ${spellings.join(' and ')})` : ''}.`];
  });
}

/**
 * Training-set sizes: whole numbers from 1 to `trainCount` (the train split's examples) and "all" (= trainCount),
 * ascending in the result whatever the typed order (GridChoices.sizes).
 */
export function parseSizes(text: string, trainCount: number): FieldParse<number[]> {
  const typed = entries(text);
  if (typed.length === 0) return { ok: false, message: 'Enter at least one size, e.g. "16, 64, all".' };
  const found: string[] = [];
  const values: { value: number; entry: string }[] = [];
  for (const entry of typed) {
    if (entry.toLowerCase() === ALL_EXAMPLES) {
      if (trainCount < 1) found.push('"all" means every training example, and the train split has none.');
      else values.push({ value: trainCount, entry });
      continue;
    }
    const value = wholeNumber(entry);
    if (value === null) found.push(`"${entry}" is not a whole number (or "all").`);
    else if (value < 1) found.push(`A size must be at least 1 (got ${entry}).`);
    else if (value > trainCount) found.push(`${value} is more than the ${trainCount} example${trainCount === 1 ? '' : 's'} of the train split.`);
    else values.push({ value, entry });
  }
  found.push(...duplicates(values));
  return problems(found, () => values.map((v) => v.value).sort((a, b) => a - b));
}

/** Seeds: whole numbers from 0 to 2^32 - 1, distinct, in the order typed. */
export function parseSeeds(text: string): FieldParse<number[]> {
  const typed = entries(text);
  if (typed.length === 0) return { ok: false, message: 'Enter at least one seed, e.g. "1, 2".' };
  const found: string[] = [];
  const values: { value: number; entry: string }[] = [];
  for (const entry of typed) {
    const value = wholeNumber(entry);
    if (value === null) found.push(`"${entry}" is not a whole number.`);
    else if (value < 0) found.push(`A seed must be at least 0 (got ${entry}).`);
    else if (value > MAX_SEED) found.push(`${entry} is over the largest seed, ${MAX_SEED}.`);
    else values.push({ value, entry });
  }
  found.push(...duplicates(values));
  return problems(found, () => values.map((v) => v.value));
}

/** A Hub repo id: "name" or "owner/name", of letters, digits, "-", "_" and "." (the Hub's own rule, loosely). */
const REPO_ID = /^[\w.-]+(\/[\w.-]+)?$/;

/** The revision taken when none is typed: the Hub's default branch. */
export const DEFAULT_REVISION = 'main';

/**
 * The base (not instruction-tuned) checkpoint as "owner/name@revision"; without "@revision" the default branch. A
 * branch keys results by its name, which may move (spec.ts ModelRef), so the form says a commit pins it.
 */
export function parseBaseCheckpoint(text: string): FieldParse<ModelRef> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Name the base checkpoint (not instruction-tuned), e.g. HuggingFaceTB/SmolLM2-135M@main.' };
  const at = trimmed.indexOf('@');
  const repo = at < 0 ? trimmed : trimmed.slice(0, at);
  const revision = at < 0 ? DEFAULT_REVISION : trimmed.slice(at + 1);
  const found: string[] = [];
  if (!REPO_ID.test(repo)) found.push(`"${repo}" is not a Hub repo id (owner/name).`);
  if (revision === '') found.push('Give a revision after "@" (a commit or a branch), or leave "@" out for main.');
  else if (/[@\s]/.test(revision)) found.push(`"${revision}" is not a revision (one "@", no spaces).`);
  return problems(found, () => ({ repo, revision, label: `${repo}@${revision}` }));
}
