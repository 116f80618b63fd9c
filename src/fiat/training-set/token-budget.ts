import type { Rendered } from '../template/render.ts';
import type { TrainingTarget } from '../prompt/distilled-cot.ts';
import { renderTrainingInput, type TrainingPromptContext, type TrainingSetExample } from './build.ts';

/**
 * The token budget of a training set against a sequence length: per example, the tokens of each part, the exact
 * total, and what is cut to fit. The engine refuses a sequence longer than its sequence length (engine/sequences.ts),
 * so this is where examples are made to fit:
 * - the passage is cut first (and only): the example is rendered again with a prefix of the passage's tokens
 *   (decoded, so the cut is at a token boundary), the longest prefix that fits;
 * - the instruction's text, the question, the reasoning and the answer are never cut: when the example does not fit
 *   even with an empty passage, it is left out, with that reason. Cutting the reasoning would train θ_τ on a
 *   reasoning ŷ_β never wrote; cutting the answer would train it on a wrong one.
 *
 * Counts: the total is exact, the engine's own count: the prompt tokenized with the tokenizer's special tokens, the
 * completion without, plus the EOS the engine appends. Part counts tokenize each part's text on its own, so they are
 * approximate (tokens merge across a part's edges); `other` is what the total has beyond the parts (chat template,
 * special tokens, EOS, edge effects), never below 0.
 */

export interface BudgetTokenizer {
  tokenize(text: string, options: { addSpecialTokens: boolean }): Promise<readonly number[]> | readonly number[];
  decode(ids: readonly number[]): Promise<string> | string;
}

export type BudgetPart = 'instruction' | 'question' | 'passage' | 'candidate' | 'reasoning' | 'answer' | 'other';

/** The parts in the order a table shows them. `candidate`: the answer a classification example judges ({{answer}}). */
export const BUDGET_PARTS: readonly BudgetPart[] = ['instruction', 'question', 'passage', 'candidate', 'reasoning', 'answer', 'other'];

/** The training pair as the engine gets it: identity without a chat template, chat-format.ts toChatPair with one. */
export type PairFormat = (pair: { prompt: string; completion: string }) => Promise<{ prompt: string; completion: string }>;

export const plainFormat: PairFormat = (pair) => Promise.resolve({ prompt: pair.prompt, completion: pair.completion });

export interface BudgetInput {
  examples: readonly TrainingSetExample[];
  context: TrainingPromptContext;
  tokenizer: BudgetTokenizer;
  format: PairFormat;
  seqLen: number;
  /** Whether the engine appends an EOS to the completion (the model has one): it counts in the total. */
  appendsEos: boolean;
  signal?: AbortSignal;
  /** Examples counted so far, of all; awaited, so a caller in the page can give it a turn between examples. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

export interface ExampleBudget {
  exampleId: string;
  /** The pair's task (distilled CoT has two pairs per example). */
  target: TrainingTarget;
  /** Approximate tokens per part, before any cut. */
  parts: Record<BudgetPart, number>;
  /** Exact tokens of the example as built, before any cut. */
  total: number;
  /** The passage was shortened: its tokens before and how many were removed; `total` after the cut. */
  cut: { passageTokens: number; removed: number; total: number } | null;
  /** Why it is left out (it does not fit even with an empty passage), null when it is trained. */
  leftOut: string | null;
  /** What the engine gets (after the cut and the chat template), null when left out. */
  pair: { prompt: string; completion: string } | null;
  /** The same before the chat template (after the cut): what a run's export writes (experiments/export/), null when left out. */
  plainPair: { prompt: string; completion: string } | null;
}

export interface BudgetReport {
  seqLen: number;
  examples: ExampleBudget[];
  /** Examples longer than the sequence length as built. */
  over: number;
  /** Of those, shortened to fit (passage cut). */
  cut: number;
  /** Of those, left out. */
  leftOut: number;
  /** Mean passage tokens removed over the cut examples; 0 when none was. */
  meanRemoved: number;
}

export async function tokenBudget(input: BudgetInput): Promise<BudgetReport> {
  const counter = new PartCounter(input.tokenizer);
  const examples: ExampleBudget[] = [];
  for (const [i, item] of input.examples.entries()) {
    input.signal?.throwIfAborted();
    examples.push(await exampleBudget(item, input, counter));
    await input.onProgress?.(i + 1, input.examples.length);
  }
  const cut = examples.filter((e) => e.cut !== null);
  return {
    seqLen: input.seqLen,
    examples,
    over: examples.filter((e) => e.total > input.seqLen).length,
    cut: cut.length,
    leftOut: examples.filter((e) => e.leftOut !== null).length,
    meanRemoved: cut.length === 0 ? 0 : cut.reduce((sum, e) => sum + (e.cut?.removed ?? 0), 0) / cut.length,
  };
}

async function exampleBudget(item: TrainingSetExample, input: BudgetInput, counter: PartCounter): Promise<ExampleBudget> {
  const measure = async (rendered: Rendered) => {
    const plainPair = { prompt: rendered.text, completion: item.completion };
    const pair = await input.format(plainPair);
    const prompt = await input.tokenizer.tokenize(pair.prompt, { addSpecialTokens: true });
    const completion = await input.tokenizer.tokenize(pair.completion, { addSpecialTokens: false });
    return { pair, plainPair, total: prompt.length + completion.length + (input.appendsEos ? 1 : 0) };
  };
  // A rationale pair's completion is the reasoning: counted as the reasoning, not as the answer.
  const reasoningInCompletion = item.target === 'rationale' ? item.completion : null;
  const parts = await counter.parts(item.input, item.completion, reasoningInCompletion);
  const whole = await measure(item.input);
  parts.other = Math.max(0, whole.total - BUDGET_PARTS.reduce((sum, p) => sum + parts[p], 0));
  const base = { exampleId: item.exampleId, target: item.target, parts, total: whole.total };
  if (whole.total <= input.seqLen) return { ...base, cut: null, leftOut: null, pair: whole.pair, plainPair: whole.plainPair };

  const hasPassage = item.input.segments.some((s) => s.kind === 'variable' && s.name === 'passage' && s.text.length > 0);
  const passageIds = hasPassage ? await input.tokenizer.tokenize(item.example.passage, { addSpecialTokens: false }) : [];
  const withPassage = async (keep: number) => {
    const passage = keep === 0 ? '' : withoutBrokenEnd(await input.tokenizer.decode(passageIds.slice(0, keep)));
    return measure(renderTrainingInput(input.context, { ...item.example, passage }, item.reasoning, item.target));
  };
  const empty = hasPassage ? await withPassage(0) : whole;
  if (empty.total > input.seqLen) {
    const over = empty.total - input.seqLen;
    const why = hasPassage ? 'even with no passage' : 'it has no passage to cut';
    return { ...base, cut: null, leftOut: `${why}, it has ${empty.total} tokens, ${over} over the sequence length ${input.seqLen}`, pair: null, plainPair: null };
  }
  // The longest prefix that fits. The total grows with the prefix by about a token per passage token (merges at the
  // cut aside), so the first guess drops as many passage tokens as the example is over, then steps by what is still
  // over (or left free) until prefix k fits and k + 1 does not: usually two or three measures, each one a render, the
  // chat template and a tokenization (a round trip to the engine's worker in the studio).
  let keep = Math.min(passageIds.length - 1, Math.max(0, passageIds.length - (whole.total - input.seqLen)));
  let fits = keep === 0 ? empty : await withPassage(keep);
  while (fits.total > input.seqLen) {
    keep = Math.max(0, keep - Math.max(1, fits.total - input.seqLen));
    fits = keep === 0 ? empty : await withPassage(keep);
  }
  for (let step = Math.max(1, input.seqLen - fits.total); keep + 1 < passageIds.length; ) {
    const next = Math.min(passageIds.length - 1, keep + step);
    const measured = await withPassage(next);
    if (measured.total <= input.seqLen) {
      keep = next;
      fits = measured;
      step = Math.max(1, input.seqLen - measured.total);
    } else if (step > 1) step = 1;
    else break;
  }
  return {
    ...base,
    cut: { passageTokens: passageIds.length, removed: passageIds.length - keep, total: fits.total },
    leftOut: null,
    pair: fits.pair,
    plainPair: fits.plainPair,
  };
}

/** A prefix of a byte-level BPE's tokens can end inside a character: its decode ends in U+FFFD, which is dropped. */
function withoutBrokenEnd(text: string): string {
  return text.replace(/\uFFFD+$/u, '');
}

/** Per-part token counts of a rendered input, memoising the texts that repeat (I_τ's own text is the same for all). */
class PartCounter {
  private readonly memo = new Map<string, number>();

  constructor(private readonly tokenizer: BudgetTokenizer) {}

  async parts(input: Rendered, answer: string, reasoningInAnswer: string | null): Promise<Record<BudgetPart, number>> {
    const parts: Record<BudgetPart, number> = { instruction: 0, question: 0, passage: 0, candidate: 0, reasoning: 0, answer: 0, other: 0 };
    for (const segment of input.segments) {
      const part: BudgetPart | null =
        segment.kind === 'literal' ? 'instruction' : segment.kind === 'invalid' ? null : segment.name === 'answer' ? 'candidate' : segment.name === 'exemplars' ? null : segment.name;
      if (part !== null) parts[part] += await this.count(segment.text, segment.kind === 'literal');
    }
    parts.answer = await this.count(answer, false);
    if (reasoningInAnswer !== null) {
      parts.reasoning = await this.count(reasoningInAnswer, false);
      parts.answer = Math.max(0, parts.answer - parts.reasoning);
    }
    return parts;
  }

  private async count(text: string, memoise: boolean): Promise<number> {
    if (text.length === 0) return 0;
    const known = this.memo.get(text);
    if (known !== undefined) return known;
    const n = (await this.tokenizer.tokenize(text, { addSpecialTokens: false })).length;
    if (memoise) this.memo.set(text, n);
    return n;
  }
}

/** One bin of the totals' histogram: [from, to), `to` null for the last, open bin. */
export interface HistogramBin {
  from: number;
  to: number | null;
  count: number;
}

/**
 * Totals in bins of equal width: `bins` bins from 0 (the last one open), of a width that makes `edge` (the sequence
 * length) a bin boundary when it is a multiple of `bins / 2`, so what is over it is in bins of its own. No totals give
 * no bins (not `bins` empty ones): there is no length to show, and the view says so in words.
 */
export function histogram(totals: readonly number[], edge: number, bins = 16): HistogramBin[] {
  if (totals.length === 0) return [];
  const width = Math.max(1, Math.ceil(edge / (bins / 2)));
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({ from: i * width, to: i === bins - 1 ? null : (i + 1) * width, count: 0 }));
  for (const total of totals) {
    const bin = out[Math.min(bins - 1, Math.floor(total / width))];
    if (bin) bin.count += 1;
  }
  return out;
}

/**
 * Code points as tokens: the budget in characters while no tokenizer is loaded (no special tokens; pass appendsEos
 * false). The UI says it counts characters then.
 */
export const characterTokenizer: BudgetTokenizer = {
  tokenize: (text) => Array.from(text, (c) => c.codePointAt(0) ?? 0),
  decode: (ids) => ids.map((id) => String.fromCodePoint(id)).join(''),
};
