/**
 * Rewrites of tokenizer.json where @huggingface/tokenizers splits text differently from the Rust `tokenizers`
 * that transformers runs, into components the library runs as Rust does. Each was found by the parity fixtures
 * (test/fixtures/tokenizers/, test/unit/engine/tokenizer.test.ts).
 *
 * Digits: Rust isolates every `char::is_numeric` character, i.e. Unicode categories Nd, Nl and No (Bengali ১৯৮৬,
 * Arabic-Indic ١٢٣, Thai ๑๒๓), each alone (`individual_digits`) or in runs; the library matches `\d`, ASCII 0-9
 * only, so a byte-level model (SmolLM2's Digits -> ByteLevel chain) merged a space with the first byte of such a
 * digit. The same split written as a Split on `\p{N}` (Isolated) gives Rust's pieces.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rewritePreTokenizer(node: unknown): unknown {
  if (!isObject(node)) return node;
  if (node.type === 'Digits') {
    return { type: 'Split', pattern: { Regex: node.individual_digits === true ? '\\p{N}' : '\\p{N}+' }, behavior: 'Isolated', invert: false };
  }
  if (node.type === 'Sequence' && Array.isArray(node.pretokenizers)) {
    return { ...node, pretokenizers: node.pretokenizers.map(rewritePreTokenizer) };
  }
  return node;
}

/** tokenizer.json's object with the rewrites above; the input is not changed. */
export function withRustSemantics(tokenizerJson: Json): Json {
  return { ...tokenizerJson, pre_tokenizer: rewritePreTokenizer(tokenizerJson.pre_tokenizer) };
}
