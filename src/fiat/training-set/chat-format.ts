/**
 * The chat-template switch: a training pair (prompt, completion) as the engine's input when the model has a chat
 * template, so θ_τ is tuned on the turn format it was instruction-tuned with (and that inference uses: the engine's
 * generate with messages renders the same template with the generation prompt).
 *
 * The reference is TRL's SFTTrainer on a conversational prompt-completion dataset: the prompt is
 * `apply_chat_template([user], add_generation_prompt=True)`, the completion is what
 * `apply_chat_template([user, assistant])` adds after it, loss on the completion only. Here:
 * - prompt = the template of one user message with the generation prompt;
 * - completion = what the template of (user, assistant: y) puts after that prompt, up to the template's end of turn
 *   when that is the EOS the engine appends (ChatML's `<|im_end|>` for SmolLM2, Qwen2.5 and Qwen3: their config's
 *   eos_token_id is `<|im_end|>`). So the sequence ends `y<|im_end|>`, as the template writes it; the newline the
 *   template writes after `<|im_end|>` is not trained (TRL trains it; generation stops at EOS before it matters).
 *   What a template writes around y is kept: Qwen3 writes an empty `<think>\n\n</think>\n\n` before the answer.
 * - When the end of turn is not the EOS (a template whose turns end in another token), the completion keeps the end
 *   of turn as written, trailing whitespace dropped, and the engine's EOS follows it.
 * - When the template's text for (user, assistant) does not begin with its prompt (a template that rewrites earlier
 *   turns), the completion is y as it is; `matched` says so.
 * - The engine tokenizes a text prompt with the tokenizer's special tokens: a template that writes the BOS itself
 *   (`{{ bos_token }}`) would get two, so a leading `bosText` (the text of what the tokenizer adds in front) is
 *   dropped from the prompt and the tokenizer adds it back.
 */

export interface ChatTemplating {
  /** The engine's applyChatTemplate (rendered text with the tokenizer's special tokens). */
  applyChatTemplate(messages: readonly { role: 'user' | 'assistant'; content: string }[], options: { addGenerationPrompt: boolean }): Promise<string>;
  /** The text of the EOS the engine appends to a completion (decode of its id with special tokens), null for none. */
  eosText: string | null;
  /** The text of the special tokens the tokenizer puts in front of a text ('' or undefined: none). */
  bosText?: string;
}

export interface ChatPair {
  prompt: string;
  completion: string;
  /** False when the template's (user, assistant) text did not begin with its prompt: the completion is y as it is. */
  matched: boolean;
}

export async function toChatPair(pair: { prompt: string; completion: string }, chat: ChatTemplating): Promise<ChatPair> {
  const user = { role: 'user', content: pair.prompt } as const;
  const [withGenerationPrompt, full] = await Promise.all([
    chat.applyChatTemplate([user], { addGenerationPrompt: true }),
    chat.applyChatTemplate([user, { role: 'assistant', content: pair.completion }], { addGenerationPrompt: false }),
  ]);
  const prompt = chat.bosText && withGenerationPrompt.startsWith(chat.bosText) ? withGenerationPrompt.slice(chat.bosText.length) : withGenerationPrompt;
  if (!full.startsWith(withGenerationPrompt)) return { prompt, completion: pair.completion, matched: false };
  const turn = full.slice(withGenerationPrompt.length);
  const at = turn.lastIndexOf(pair.completion);
  // The template may change y's edges (Qwen3 strips its leading newlines): then the whole turn is the completion.
  if (at < 0) return { prompt, completion: upToEndOfTurn(turn, chat.eosText), matched: true };
  const end = at + pair.completion.length;
  return { prompt, completion: turn.slice(0, end) + upToEndOfTurn(turn.slice(end), chat.eosText), matched: true };
}

/** Text up to the EOS (which the engine appends), or without its trailing whitespace when it has none. */
function upToEndOfTurn(text: string, eosText: string | null): string {
  const eos = eosText ? text.lastIndexOf(eosText) : -1;
  return eos >= 0 ? text.slice(0, eos) : text.trimEnd();
}
