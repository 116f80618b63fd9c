import { isFinished } from './beta-output.ts';
import type { ReasoningCacheEntry } from './cache.ts';
import { runToEnd, type Sliced } from '../slices.ts';
import { costOf, type TokenPrice, type UsageTotals } from './cost.ts';

export interface PlanSummaryInput {
  /** The examples the batch would cover (ids, or examples: their ids). */
  exampleIds: readonly string[] | readonly { id: string }[];
  /** Cache key of each example's prompt. */
  keys: ReadonlyMap<string, string>;
  /** Cached entries by example id (finished or not). */
  entries: ReadonlyMap<string, ReasoningCacheEntry>;
  /** Estimated prompt tokens by example id. */
  promptTokens: ReadonlyMap<string, number>;
  /** Max tokens of the provider's parameters: the most a reasoning can cost. */
  maxTokens: number;
  price?: TokenPrice | undefined;
}

export interface PlanSummary {
  examples: number;
  /** Examples whose finished reasoning is cached (nothing is sent for them). */
  cached: number;
  /** Examples whose cached generation is truncated (max tokens) or empty: their prompts are among `toGenerate`. */
  truncated: number;
  /** Distinct prompts to request (examples sharing a prompt share one request). */
  toGenerate: number;
  /** Examples without a reasoning that share a prompt with another one. */
  shared: number;
  /**
   * Expected completion tokens per reasoning: the mean of the cached ones when there are some
   * (`fromCache`), else max tokens (an upper bound).
   */
  completionTokensEach: number;
  fromCache: boolean;
  usage: UsageTotals;
  /** In the price's currency; null without a price. */
  cost: number | null;
}

/**
 * What a batch would do, before anything is sent: "N cached / M to generate / est. cost". Pure;
 * the same counting as planReasoningBatch, from keys and entries the caller already has.
 */
export function summarisePlan(input: PlanSummaryInput): PlanSummary {
  return runToEnd(summarisePlanInSlices(input));
}

/** Examples counted between two yields of summarisePlanInSlices. */
const PLAN_SLICE = 5_000;

/** summarisePlan in slices (fiat/slices.ts): 100,000 examples held the page for a few hundred ms. */
export function* summarisePlanInSlices(input: PlanSummaryInput): Sliced<PlanSummary> {
  let cached = 0;
  let truncated = 0;
  const missing = new Map<string, string>();
  const cachedCompletions: number[] = [];
  let done = 0;
  for (const item of input.exampleIds) {
    if (++done % PLAN_SLICE === 0) yield done;
    const id = typeof item === 'string' ? item : item.id;
    const entry = input.entries.get(id);
    if (entry && isFinished(entry)) {
      cached += 1;
      cachedCompletions.push(entry.usage.completionTokens);
      continue;
    }
    if (entry) truncated += 1;
    const key = input.keys.get(id);
    if (key !== undefined && !missing.has(key)) missing.set(key, id);
  }
  const missingExamples = input.exampleIds.length - cached;
  const fromCache = cachedCompletions.length > 0;
  const completionTokensEach = fromCache
    ? Math.round(cachedCompletions.reduce((a, b) => a + b, 0) / cachedCompletions.length)
    : input.maxTokens;
  const promptTokens = [...missing.values()].reduce((sum, id) => sum + (input.promptTokens.get(id) ?? 0), 0);
  const usage: UsageTotals = { promptTokens, completionTokens: completionTokensEach * missing.size, estimated: true };
  return {
    examples: input.exampleIds.length,
    cached,
    truncated,
    toGenerate: missing.size,
    shared: missingExamples - missing.size,
    completionTokensEach,
    fromCache,
    usage,
    cost: input.price ? costOf(usage, input.price) : null,
  };
}
