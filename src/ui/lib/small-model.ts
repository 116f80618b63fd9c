import { useSyncExternalStore } from 'react';
import type { Engine } from '../../engine/engine.ts';
import type { TokenCounter } from '../../fiat/template/tokens.ts';
import type { ChatTemplating } from '../../fiat/training-set/chat-format.ts';
import type { BudgetTokenizer } from '../../fiat/training-set/token-budget.ts';

/**
 * The small model θ_τ's tokenizer as the studio's counts use it (preview cards, the Tuning tab's token budget), or
 * null while no small model is loaded. Whatever loads the small model (the model panel) calls
 * `setSmallModelTokenizer(await smallModelTokenizer(engine))` after a load, and null when it is gone; nothing else
 * writes it. An object per load: views key their counts by its identity.
 */
export interface SmallModelTokenizer extends BudgetTokenizer, TokenCounter {
  tokenize(text: string, options: { addSpecialTokens: boolean }): Promise<number[]>;
  decode(ids: readonly number[]): Promise<string>;
  /** The model's chat template with its EOS and BOS texts, null when it has none. */
  chat: ChatTemplating | null;
  /** Whether the engine appends an EOS to a training completion (the model has one). */
  appendsEos: boolean;
}

/**
 * The tokenizer of the model an engine has loaded, through the engine's own calls (the worker's, in the studio): read
 * from `engine` now, and through `later` afterwards (the tuning engine, whose worker may be replaced; by default
 * `engine`).
 */
export async function smallModelTokenizer(loaded: Engine, later: Engine = loaded): Promise<SmallModelTokenizer> {
  const info = await loaded.describe();
  const eos = info.eosTokenIds[0];
  const eosText = eos === undefined ? null : await loaded.decode([eos], { skipSpecialTokens: false });
  const bosText = await loaded.decode(await loaded.tokenize('', { addSpecialTokens: true }), { skipSpecialTokens: false });
  const engine = later;
  return {
    name: info.label,
    tokenize: (text, options) => engine.tokenize(text, options),
    decode: (ids) => engine.decode(ids, { skipSpecialTokens: false }),
    count: async (text) => (await engine.tokenize(text, { addSpecialTokens: false })).length,
    chat: info.hasChatTemplate
      ? { applyChatTemplate: (messages, options) => engine.applyChatTemplate(messages, options), eosText, bosText }
      : null,
    appendsEos: eos !== undefined,
  };
}

let current: SmallModelTokenizer | null = null;
const listeners = new Set<() => void>();

export function setSmallModelTokenizer(tokenizer: SmallModelTokenizer | null): void {
  current = tokenizer;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The tokenizer as it is now, outside React (tests). */
export function currentSmallModelTokenizer(): SmallModelTokenizer | null {
  return current;
}

/** The loaded small model's tokenizer, re-rendering when another model loads. */
export function useSmallModelTokenizer(): SmallModelTokenizer | null {
  return useSyncExternalStore(subscribe, () => current);
}
