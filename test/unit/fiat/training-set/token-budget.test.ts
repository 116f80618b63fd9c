import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toSequences } from '../../../../src/engine/sequences.ts';
import { createTokenizer } from '../../../../src/engine/tokenizer.ts';
import type { Example } from '../../../../src/fiat/task/task.ts';
import { buildTrainingSet, type TrainingMethod, type TrainingPromptContext } from '../../../../src/fiat/training-set/build.ts';
import { type ChatTemplating, toChatPair } from '../../../../src/fiat/training-set/chat-format.ts';
import { type BudgetTokenizer, characterTokenizer, histogram, plainFormat, tokenBudget } from '../../../../src/fiat/training-set/token-budget.ts';
import { classification, example } from '../fixtures.ts';

/**
 * A word tokenizer: each token is a word with the whitespace before it (so a decoded prefix is a prefix of the text);
 * with special tokens, a BOS in front. Calls are counted, decodes recorded.
 */
function wordTokenizer(): BudgetTokenizer & { decoded: string[] } {
  const ids = new Map<string, number>([['<bos>', 0]]);
  const pieces = ['<bos>'];
  const decoded: string[] = [];
  return {
    decoded,
    tokenize(text, { addSpecialTokens }) {
      const out = (text.match(/\s*\S+|\s+$/gu) ?? []).map((piece) => {
        let id = ids.get(piece);
        if (id === undefined) {
          id = pieces.length;
          ids.set(piece, id);
          pieces.push(piece);
        }
        return id;
      });
      return addSpecialTokens ? [0, ...out] : out;
    },
    decode(tokens) {
      const text = tokens.map((id) => pieces[id] ?? '').join('');
      decoded.push(text);
      return text;
    },
  };
}

const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join(' ');
const tau = 'Q: {{question}}\nP: {{passage}}\nR: {{reasoning}}';

async function budget(seqLen: number, options: { tau?: string; examples?: Example[]; method?: TrainingMethod; format?: typeof plainFormat; tokenizer?: BudgetTokenizer } = {}) {
  const instructions = { beta: '{{question}}', tau: options.tau ?? tau };
  const method = options.method ?? 'fiat';
  const set = buildTrainingSet({
    spec: classification,
    instructions,
    exemplars: [],
    examples: options.examples ?? [example('x', 'en', { passage: words(20) })],
    reasoningFor: () => 'r1 r2',
    agreements: new Map(),
    options: { method, onlyAgreeing: false, withoutReasoning: 'leave-out' },
  });
  if (!set.ok) throw new Error('no training set');
  const context: TrainingPromptContext = { spec: classification, instructions, exemplars: [], method };
  return tokenBudget({ examples: set.examples, context, tokenizer: options.tokenizer ?? wordTokenizer(), format: options.format ?? plainFormat, seqLen, appendsEos: true });
}

describe('tokenBudget', () => {
  // "Q:" " q-x" "\nP:" 20 words "\nR:" " r1" " r2" with BOS: 27 prompt tokens; "supported" and EOS: 2.
  it('counts the exact total as the engine does (prompt with special tokens, completion, EOS) and each part on its own', async () => {
    const report = await budget(64);
    const only = report.examples[0]!;
    expect(only.total).toBe(29);
    expect(only.parts).toMatchObject({ question: 1, passage: 20, reasoning: 2, answer: 1, candidate: 0 });
    // The literals "Q: ", "\nP: ", "\nR: " counted alone split their trailing spaces off: part counts are approximate.
    expect(only.parts.instruction).toBe(6);
    expect(only.parts.other).toBe(0);
    expect(only).toMatchObject({ cut: null, leftOut: null, pair: { prompt: `Q: q-x\nP: ${words(20)}\nR: r1 r2`, completion: 'supported' } });
    expect(report).toMatchObject({ over: 0, cut: 0, leftOut: 0, meanRemoved: 0 });
  });

  it('cuts the passage at a token boundary to the longest prefix that fits, and nothing else', async () => {
    const tokenizer = wordTokenizer();
    const report = await budget(20, { tokenizer });
    // Two prefixes measured: 11 words (the first guess: 9 over, 9 fewer) fits, 12 does not.
    expect(tokenizer.decoded).toEqual([words(11), words(12)]);
    const only = report.examples[0]!;
    expect(only.total).toBe(29);
    expect(only.cut).toEqual({ passageTokens: 20, removed: 9, total: 20 });
    expect(only.pair).toEqual({ prompt: `Q: q-x\nP: ${words(11)}\nR: r1 r2`, completion: 'supported' });
    expect(report).toMatchObject({ over: 1, cut: 1, leftOut: 0, meanRemoved: 9 });
  });

  it('leaves an example out, saying why, when even an empty passage does not fit: the question, reasoning and answer are never cut', async () => {
    // Without a passage: "Q:" " q-x" "\nP:" " \nR:" " r1" " r2" and BOS: 7, with the completion and EOS 9.
    const report = await budget(8);
    expect(report.examples[0]).toMatchObject({ cut: null, pair: null, plainPair: null, leftOut: 'even with no passage, it has 9 tokens, 1 over the sequence length 8' });
    expect(report).toMatchObject({ over: 1, cut: 0, leftOut: 1 });
    expect((await budget(9)).examples[0]!.cut).toEqual({ passageTokens: 20, removed: 20, total: 9 });
  });

  it('an I_τ without a passage has nothing to cut', async () => {
    const report = await budget(5, { tau: 'Q: {{question}} R: {{reasoning}}' });
    expect(report.examples[0]!.leftOut).toBe('it has no passage to cut, it has 8 tokens, 3 over the sequence length 5');
  });

  it('the chat template counts in the total (as "other"), and the cut example is formatted again', async () => {
    const format: typeof plainFormat = (pair) => Promise.resolve({ prompt: `<user> ${pair.prompt} <assistant>`, completion: pair.completion });
    const report = await budget(22, { format });
    const only = report.examples[0]!;
    expect(only.total).toBe(31);
    // BOS, EOS and the template's 2 tokens, less the 3 the literals' lone spaces added: what is left of the exact total.
    expect(only.parts.other).toBe(1);
    expect(only.cut).toEqual({ passageTokens: 20, removed: 9, total: 22 });
    expect(only.pair?.prompt).toBe(`<user> Q: q-x\nP: ${words(11)}\nR: r1 r2 <assistant>`);
    // What an export writes: the same cut, before the template.
    expect(only.plainPair).toEqual({ prompt: `Q: q-x\nP: ${words(11)}\nR: r1 r2`, completion: 'supported' });
  });

  it('distilled CoT: each of the two pairs is cut on its own; the rationale keeps the whole reasoning, counted as reasoning', async () => {
    const report = await budget(14, { method: 'distilled-cot' });
    const [answer, rationale] = report.examples;
    expect([answer!.target, rationale!.target]).toEqual(['answer', 'rationale']);
    // Rationale: BOS "Q:" " q-x" "\nP:" 6 words "\nR:" = 11; completion " r1" " r2" and EOS = 3.
    expect(rationale!.plainPair).toEqual({ prompt: `Q: q-x\nP: ${words(6)}\nR:`, completion: ' r1 r2' });
    expect(rationale!.cut).toEqual({ passageTokens: 20, removed: 14, total: 14 });
    expect(rationale!.parts).toMatchObject({ reasoning: 2, answer: 0 });
    // Answer: I_τ with an empty slot, the verbalizer.
    expect(answer!.plainPair?.completion).toBe('supported');
    expect(answer!.parts).toMatchObject({ reasoning: 0, answer: 1 });
  });

  it('plain fine-tuning: the bare input, cut the same way; the judged answer is its own part', async () => {
    const report = await budget(12, { method: 'fine-tune' });
    const only = report.examples[0]!;
    // "Question:" " q-x" "\nPassage:" 20 words "\nAnswer:" " a-x" and BOS: 26; completion and EOS: 2.
    expect(only.total).toBe(28);
    expect(only.parts).toMatchObject({ candidate: 1, reasoning: 0, passage: 20 });
    expect(only.cut).toEqual({ passageTokens: 20, removed: 16, total: 12 });
  });

  it('a decoded prefix that ends inside a character drops the broken end', async () => {
    const tokenizer = wordTokenizer();
    const broken: BudgetTokenizer = { tokenize: (text, options) => tokenizer.tokenize(text, options), decode: async (ids) => `${await tokenizer.decode(ids)}\uFFFD` };
    const report = await budget(20, { tokenizer: broken });
    expect(report.examples[0]!.pair?.prompt).toBe(`Q: q-x\nP: ${words(11)}\nR: r1 r2`);
  });

  it('reports progress and stops when aborted', async () => {
    const set = buildTrainingSet({
      spec: classification,
      instructions: { beta: '', tau },
      exemplars: [],
      examples: [example('a', 'en'), example('b', 'en')],
      reasoningFor: () => 'r',
      agreements: new Map(),
      options: { method: 'fiat', onlyAgreeing: false, withoutReasoning: 'leave-out' },
    });
    if (!set.ok) throw new Error('no training set');
    const context: TrainingPromptContext = { spec: classification, instructions: { beta: '', tau }, exemplars: [], method: 'fiat' };
    const controller = new AbortController();
    const progress: number[] = [];
    const run = tokenBudget({
      examples: set.examples,
      context,
      tokenizer: characterTokenizer,
      format: plainFormat,
      seqLen: 1000,
      appendsEos: false,
      signal: controller.signal,
      onProgress: (done) => {
        progress.push(done);
        controller.abort();
      },
    });
    await expect(run).rejects.toThrow();
    expect(progress).toEqual([1]);
  });

  it('counts characters with the character tokenizer', async () => {
    const report = await budget(1000, { tokenizer: characterTokenizer });
    const prompt = `Q: q-x\nP: ${words(20)}\nR: r1 r2`;
    // The total still adds the EOS the budget was told about.
    expect(report.examples[0]!.total).toBe([...prompt].length + 'supported'.length + 1);
  });
});

describe('histogram', () => {
  it('bins of a width that puts the sequence length on a boundary, the last bin open', () => {
    const bins = histogram([0, 15, 16, 31, 32, 64, 500], 64, 8);
    expect(bins.map((b) => [b.from, b.to, b.count])).toEqual([
      [0, 16, 2],
      [16, 32, 2],
      [32, 48, 1],
      [48, 64, 0],
      [64, 80, 1],
      [80, 96, 0],
      [96, 112, 0],
      [112, null, 1],
    ]);
  });

  it('has no bins for no examples (the view says so in a sentence instead of 16 empty bins)', () => {
    expect(histogram([], 512)).toEqual([]);
    expect(histogram([], 1, 8)).toEqual([]);
  });
});

describe('tokenBudget with a real tokenizer', () => {
  it('its totals, cut or not, are the lengths of the sequences the engine makes of its pairs (demo model, ChatML template)', async () => {
    const demo = new URL('../../../../public/models/demo/', import.meta.url);
    const read = (file: string) => readFileSync(new URL(file, demo), 'utf8');
    const tokenizer = createTokenizer({ tokenizerJson: read('tokenizer.json'), tokenizerConfig: read('tokenizer_config.json'), chatTemplate: null });
    const eos = tokenizer.eosTokenId;
    if (eos === null) throw new Error('the demo tokenizer has an EOS');
    const chat: ChatTemplating = { applyChatTemplate: (m, o) => Promise.resolve(tokenizer.applyChatTemplate(m, o)), eosText: tokenizer.decode([eos], { skipSpecialTokens: false }) };
    const passage = 'Helsinki on Suomen pääkaupunki ja suurin kaupunki. Se sijaitsee Suomenlahden rannalla. '.repeat(6);
    const examples = [example('short', 'fi', { passage: 'Helsinki.' }), example('long', 'fi', { passage })];
    const report = await budget(64, {
      examples,
      tokenizer: { tokenize: (text, options) => tokenizer.encode(text, options), decode: (ids) => tokenizer.decode(ids, { skipSpecialTokens: false }) },
      format: (pair) => toChatPair(pair, chat),
    });
    expect(report.examples.map((e) => e.cut === null)).toEqual([true, false]);
    for (const e of report.examples) {
      if (!e.pair) throw new Error(`${e.exampleId} was left out`);
      const [sequence] = toSequences([e.pair], { tokenizer, eosTokenId: eos, vocabSize: tokenizer.vocabSize, seqLen: 64 });
      expect(sequence?.tokens.length).toBe(e.cut?.total ?? e.total);
    }
    expect(report.examples[1]!.cut!.total).toBeGreaterThan(60);
  });
});
