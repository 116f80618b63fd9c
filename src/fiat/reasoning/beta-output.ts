import type { FinishReason } from '../../providers/types.ts';
import { extractAnswer } from './answer-pattern.ts';

/**
 * ŷ_β from the large model's reply, in one place. A reasoning model (Qwen3, DeepSeek-R1, gpt-oss
 * behind vLLM's reasoning parsers, Ollama, OpenRouter, DeepSeek's API) sends its chain of thought
 * apart from its final answer; FIAT tunes θ_τ on the reasoning, so ŷ_β is the reasoning followed
 * by the final answer. What `{{reasoning}}` fills, the cache stores and the preview shows is that one
 * text; the answer pattern reads the final answer part first.
 */

/** ŷ_β as stored and read: a cache entry is one. */
export interface BetaReasoning {
  /** ŷ_β: the reasoning, then the final answer. */
  reasoning: string;
  /**
   * Where the final answer begins in `reasoning` when the model sent its reasoning apart; absent when
   * the whole text was the model's content (a model that reasons in its reply, entries cached before).
   */
  answerFrom?: number | undefined;
  finishReason: FinishReason;
}

/** Between the reasoning and the final answer in ŷ_β. */
const PART_SEPARATOR = '\n\n';

/** ŷ_β from a reply's two parts (see collect.ts ReasoningResult). */
export function betaReasoningOf(reply: { reasoning: string; content: string }): { reasoning: string; answerFrom?: number } {
  const thought = reply.reasoning.trim();
  if (thought === '') return { reasoning: reply.content };
  const answer = reply.content.trim();
  if (answer === '') return { reasoning: thought, answerFrom: thought.length };
  return { reasoning: `${thought}${PART_SEPARATOR}${answer}`, answerFrom: thought.length + PART_SEPARATOR.length };
}

/** The two parts of ŷ_β as the preview shows them: `thought` is '' when the model sent none apart. */
export function betaParts(beta: Pick<BetaReasoning, 'reasoning' | 'answerFrom'>): { thought: string; answer: string } {
  if (beta.answerFrom === undefined) return { thought: '', answer: beta.reasoning };
  return { thought: beta.reasoning.slice(0, beta.answerFrom).trimEnd(), answer: beta.reasoning.slice(beta.answerFrom) };
}

/**
 * Why a generation is not a finished reasoning: it stopped at the token limit (finish reason
 * `length`), or it has no text. Null when it is finished. An unfinished one is kept (the preview shows
 * it as truncated) but is never what `{{reasoning}}` fills, what the plan counts as cached or what
 * agreement reads; a batch or Resume generates it again.
 */
export function unfinishedReason(beta: Pick<BetaReasoning, 'reasoning' | 'finishReason'>): 'length' | 'empty' | null {
  if (beta.finishReason === 'length') return 'length';
  if (beta.reasoning.trim() === '') return 'empty';
  return null;
}

export function isFinished(beta: Pick<BetaReasoning, 'reasoning' | 'finishReason'>): boolean {
  return unfinishedReason(beta) === null;
}

/**
 * The final answer the answer pattern finds: in the final answer part first, then (no match there,
 * or no part apart) in the whole ŷ_β, so a model that concluded inside its reasoning still parses.
 */
export function readFinalAnswer(beta: Pick<BetaReasoning, 'reasoning' | 'answerFrom'>, pattern: RegExp): string | null {
  if (beta.answerFrom !== undefined) {
    const answer = extractAnswer(beta.reasoning.slice(beta.answerFrom), pattern);
    if (answer !== null) return answer;
  }
  return extractAnswer(beta.reasoning, pattern);
}
