import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ReasoningCacheEntry } from '../../../fiat/reasoning/cache.ts';
import type { BetaPrompt } from '../../../fiat/prompt/assemble.ts';
import type { TokenCounter } from '../../../fiat/template/tokens.ts';
import { objectKey } from '../../lib/object-key.ts';
import { useSmallModelTokenizer } from '../../lib/small-model.ts';
import { useDebounced } from '../../lib/use-debounced.ts';
import { useStudio } from '../../state/store.ts';
import { reasoningQueries } from '../reasoning/reasoning-queries.ts';

/*
 * Where the preview gets what other parts of the studio produce: the large model's reasoning from
 * the reasoning cache; token counts from the loaded small model's tokenizer (ui/lib/small-model.ts),
 * and while none is loaded the preview says so plainly.
 */

/**
 * The cached reasoning for an example's rendered I_β prompt under the project's provider, or
 * undefined while there is none (no provider, I_β has invalid tags, not generated yet): the
 * {{reasoning}} slot is then pending.
 */
export function useCachedReasoning(beta: BetaPrompt | undefined): ReasoningCacheEntry | undefined {
  const settings = useStudio((s) => s.project.reasoning.provider);
  const sendable = beta !== undefined && !beta.rendered.hasInvalid;
  const messages = useMemo(() => (sendable ? beta.messages : []), [sendable, beta]);
  // Memoised: building the options describes the provider; a keystroke in I_τ need not.
  const options = useMemo(() => reasoningQueries.entry(sendable ? settings : null, messages), [sendable, settings, messages]);
  const query = useQuery(options);
  return sendable && settings ? (query.data ?? undefined) : undefined;
}

/** The tokenizer to count the rendered prompts with, or null when no small model is loaded. */
export function useTokenCounter(): TokenCounter | null {
  return useSmallModelTokenizer();
}

/** Counting waits until the text has stopped changing for this long (a keystroke in I_τ costs no count). */
const COUNT_SETTLE_MS = 150;

/** A rendered prompt's token count as the card shows it: from the loaded tokenizer, or why there is none. */
export function useTokenLabel(counter: TokenCounter | null, text: string | undefined): string {
  // No tokenizer: nothing to wait for (and no render after each keystroke for it).
  const settled = useDebounced(counter ? text : undefined, COUNT_SETTLE_MS);
  const query = useQuery({
    queryKey: ['tokens', counter ? objectKey(counter) : null, settled ?? null] as const,
    queryFn: () => {
      if (!counter || settled === undefined) throw new Error('no tokenizer');
      return counter.count(settled);
    },
    enabled: counter !== null && settled !== undefined,
    // The last count stays shown while the next is counted.
    placeholderData: (previous) => previous,
    gcTime: 30_000,
  });
  if (!counter) return 'tokens: load a small model to count them';
  if (query.isError) return `tokens: ${query.error.message}`;
  if (query.data === undefined) return `tokens: counting… (${counter.name})`;
  return `${query.data.toLocaleString()} tokens (${counter.name})`;
}
