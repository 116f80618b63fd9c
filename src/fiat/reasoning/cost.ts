import { estimatePromptTokens } from '../../providers/token-estimate.ts';
import type { ChatMessage } from '../../providers/types.ts';

/** Prices in the user's currency per million tokens (what provider price pages quote). */
export interface TokenPrice {
  input: number;
  output: number;
}

export interface UsageTotals {
  promptTokens: number;
  completionTokens: number;
  /** True when any part of the totals was estimated rather than reported by the server. */
  estimated: boolean;
}

export const EMPTY_USAGE: Readonly<UsageTotals> = Object.freeze({ promptTokens: 0, completionTokens: 0, estimated: false });

export function addUsage(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    estimated: a.estimated || b.estimated,
  };
}

/** Prices per 1K tokens, as some providers quote them, converted to per million. */
export function pricePer1K(input: number, output: number): TokenPrice {
  return { input: input * 1000, output: output * 1000 };
}

export function costOf(usage: UsageTotals, price: TokenPrice): number {
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}

/**
 * What generating these prompts would cost before any is sent: prompt tokens estimated from the
 * text, completion tokens assumed to be `completionTokensEach` per prompt (the max tokens setting
 * gives an upper bound). Always marked estimated.
 */
export function estimateGenerationCost(
  prompts: readonly (readonly ChatMessage[])[],
  completionTokensEach: number,
  price: TokenPrice,
): { usage: UsageTotals; cost: number } {
  const promptTokens = prompts.reduce((sum, messages) => sum + estimatePromptTokens(messages), 0);
  const usage = { promptTokens, completionTokens: completionTokensEach * prompts.length, estimated: true };
  return { usage, cost: costOf(usage, price) };
}
