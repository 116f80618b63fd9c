/**
 * Counts tokens of a rendered prompt with a model's tokenizer (the loaded small model's, through the engine, so it
 * is asynchronous). The studio shows token counts only when one is available; until then it says so.
 */
export interface TokenCounter {
  /** The tokenizer's name as shown to the user (e.g. "SmolLM2-135M-Instruct"). */
  name: string;
  /** Tokens of the text itself (no special tokens added). */
  count(text: string): Promise<number>;
}
