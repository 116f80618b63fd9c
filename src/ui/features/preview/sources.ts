import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ReasoningCacheEntry } from '../../../fiat/reasoning/cache.ts';
import type { BetaPrompt } from '../../../fiat/prompt/assemble.ts';
import type { TokenCounter } from '../../../fiat/template/tokens.ts';
import { useStudio } from '../../state/store.ts';
import { reasoningQueries } from '../reasoning/reasoning-queries.ts';

/*
 * Where the preview gets what other parts of the studio produce: the large model's reasoning from
 * the reasoning cache; token counts need a small model's tokenizer (models layer), which does not
 * exist yet, and the preview says so plainly. Wire it in here.
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

/** The tokenizer to count the rendered prompts with, or null when no tokenizer is loaded. */
export function useTokenCounter(): TokenCounter | null {
  return null;
}
