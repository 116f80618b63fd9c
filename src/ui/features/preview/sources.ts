import type { TokenCounter } from '../../../fiat/template/tokens.ts';

/*
 * Where the preview gets what other parts of the studio produce. Neither exists yet, and the preview
 * says so plainly: reasoning comes from the large-model provider and reasoning cache (issue 4);
 * token counts need a small model's tokenizer (models layer). Wire them in here.
 */

/** The large model's reasoning for an example, or undefined while there is none (the slot is pending). */
export function useReasoning(_taskId: string, _exampleId: string): string | undefined {
  return undefined;
}

/** The tokenizer to count the rendered prompts with, or null when no tokenizer is loaded. */
export function useTokenCounter(): TokenCounter | null {
  return null;
}
