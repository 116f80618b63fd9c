import { queryOptions } from '@tanstack/react-query';
import type { TrainingPromptContext, TrainingSetExample } from '../../../fiat/training-set/build.ts';
import { toChatPair } from '../../../fiat/training-set/chat-format.ts';
import { type BudgetReport, characterTokenizer, plainFormat, tokenBudget } from '../../../fiat/training-set/token-budget.ts';
import { objectKey } from '../../lib/object-key.ts';
import type { SmallModelTokenizer } from '../../lib/small-model.ts';

export interface BudgetQueryInput {
  examples: readonly TrainingSetExample[];
  context: TrainingPromptContext;
  /** null: no small model loaded; the budget is counted in characters and nothing is cut. */
  tokenizer: SmallModelTokenizer | null;
  chatTemplate: boolean;
  seqLen: number;
  /** Examples counted so far, at each turn given to the page (not part of the query's key). */
  onProgress?: (done: number, total: number) => void;
}

/** A budget and what counted it (the tokenizer's name; null: characters), so a budget shown while the next is counted keeps its unit. */
export interface CountedBudget {
  report: BudgetReport;
  tokenizerName: string | null;
}

/** Work done between two turns given to the page (the character count runs in the page; the tokenizer in the worker). */
const TURN_MS = 25;

/**
 * The token budget of a training set (fiat/training-set/token-budget.ts) as a react-query query, keyed by the
 * identities of the set and the tokenizer: a new I_τ, reasoning, option or model is a new set or tokenizer.
 */
export function budgetQuery(input: BudgetQueryInput | null) {
  return queryOptions({
    queryKey: input
      ? (['training-budget', objectKey(input.examples), input.tokenizer ? objectKey(input.tokenizer) : 'characters', input.chatTemplate, input.seqLen] as const)
      : (['training-budget', 'none'] as const),
    queryFn: ({ signal }): Promise<CountedBudget> => {
      if (!input) throw new Error('no training set');
      return countBudget(input, signal);
    },
    enabled: input !== null,
    // The last budget stays shown (marked as being counted again) while the next is counted.
    placeholderData: (previous) => previous,
    structuralSharing: false,
    gcTime: 30_000,
  });
}

/**
 * The budget itself, outside react-query (the experiments' runner builds a run's pairs with it): the passages cut to
 * `seqLen` with the model's tokenizer, the chat template applied; giving the page a turn every TURN_MS.
 */
export async function countBudget(input: BudgetQueryInput, signal?: AbortSignal): Promise<CountedBudget> {
  const { tokenizer } = input;
  const chat = input.chatTemplate ? tokenizer?.chat : null;
  let since = performance.now();
  const report = await tokenBudget({
    examples: input.examples,
    context: input.context,
    tokenizer: tokenizer ?? characterTokenizer,
    format: chat ? (pair) => toChatPair(pair, chat).then(({ prompt, completion }) => ({ prompt, completion })) : plainFormat,
    seqLen: tokenizer ? input.seqLen : Number.MAX_SAFE_INTEGER,
    appendsEos: tokenizer?.appendsEos ?? false,
    ...(signal ? { signal } : {}),
    onProgress: async (done, total) => {
      if (performance.now() - since < TURN_MS) return;
      input.onProgress?.(done, total);
      await new Promise((resolve) => setTimeout(resolve, 0));
      since = performance.now();
    },
  });
  return { report, tokenizerName: tokenizer?.name ?? null };
}
