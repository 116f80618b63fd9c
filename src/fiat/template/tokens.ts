/**
 * Counts tokens of a rendered prompt with a model's tokenizer. The studio shows token counts only
 * when one is available (a small model's tokenizer from the models layer); until then it says so.
 */
export interface TokenCounter {
  /** The tokenizer's name as shown to the user (e.g. "SmolLM2-135M-Instruct"). */
  name: string;
  count(text: string): number;
}
