import { Tokenizer } from '@huggingface/tokenizers';
import type { ChatMessage } from './engine.ts';
import { EngineError } from './errors.ts';
import { compileChatTemplate, type ChatTemplate } from './tokenizer/chat-template.ts';
import { readTokenizerConfig, type SpecialTokenName } from './tokenizer/config.ts';
import { withRustSemantics } from './tokenizer/rust-compat.ts';

/**
 * The model's tokenizer and chat template: the one wrapper of @huggingface/tokenizers and @huggingface/jinja
 * (eslint's `wrapped`). Ids, decodes and rendered templates are those of transformers (v5, a fast tokenizer) for
 * the same files; test/unit/engine/tokenizer.test.ts replays Python's outputs (test/fixtures/tokenizers/).
 */

/** A model's tokenizer files as text, under their Hub names. */
export interface TokenizerFiles {
  /** tokenizer.json. */
  readonly tokenizerJson: string;
  /** tokenizer_config.json, or null when the model has none. */
  readonly tokenizerConfig: string | null;
  /**
   * chat_template.jinja (newer repos); when null, tokenizer_config.json's "chat_template" is used (a string, or a
   * list of {name, template} of which "default"); with neither, hasChatTemplate is false.
   */
  readonly chatTemplate: string | null;
}

export interface ModelTokenizer {
  /** Tokens the tokenizer knows, added tokens included (transformers' len(tokenizer)); the model's vocab may be larger. */
  readonly vocabSize: number;
  readonly hasChatTemplate: boolean;
  readonly bosTokenId: number | null;
  readonly eosTokenId: number | null;
  readonly padTokenId: number | null;
  /** addSpecialTokens defaults to true, as in transformers (the post-processor's BOS/EOS, where it has any). */
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  /** Ids outside the vocabulary are an EngineError of kind 'usage'. */
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  /** apply_chat_template(tokenize=False); an EngineError of kind 'tokenizer' when there is none or it fails. */
  applyChatTemplate(messages: readonly ChatMessage[], options?: { addGenerationPrompt?: boolean }): string;
}

const TOKENIZER_FILE = 'tokenizer.json';

function tokenizerJsonOf(text: string): Record<string, unknown> {
  if (text.trim() === '') {
    throw new EngineError('tokenizer', 'tokenizer.json is missing or empty: the model has no tokenizer the engine can load', { file: TOKENIZER_FILE });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EngineError('tokenizer', `tokenizer.json: not valid JSON (${error instanceof Error ? error.message : String(error)})`, { file: TOKENIZER_FILE });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EngineError('tokenizer', 'tokenizer.json: must be a JSON object', { file: TOKENIZER_FILE });
  }
  const json = parsed as Record<string, unknown>;
  const model = json.model;
  if (typeof model !== 'object' || model === null) {
    throw new EngineError('tokenizer', 'tokenizer.json: has no "model" (is it a tokenizers file?)', { file: TOKENIZER_FILE });
  }
  // The library requires these keys; transformers' files always have them, possibly null.
  return withRustSemantics({ normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...json });
}

/** Reads the tokenizer files; every problem is an EngineError of kind 'tokenizer' naming the file. */
export function createTokenizer(files: TokenizerFiles): ModelTokenizer {
  const json = tokenizerJsonOf(files.tokenizerJson);
  const modelType = (json.model as { type?: unknown }).type;
  const config = readTokenizerConfig(files.tokenizerConfig, files.chatTemplate, typeof modelType === 'string' ? modelType : null);
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(json, config.libraryConfig);
  } catch (error) {
    throw new EngineError('tokenizer', `tokenizer.json: cannot be loaded (${error instanceof Error ? error.message : String(error)})`, { file: TOKENIZER_FILE });
  }
  const vocabSize = tokenizer.get_vocab(true).size;

  const idOf = (name: SpecialTokenName): number | null => {
    const token = config.specialTokens[name];
    if (token === undefined) return null;
    const id = tokenizer.token_to_id(token);
    if (id === undefined) {
      throw new EngineError('tokenizer', `tokenizer_config.json: ${name} "${token}" is not a token of tokenizer.json`, { file: 'tokenizer_config.json' });
    }
    return id;
  };
  const bosTokenId = idOf('bos_token');
  const eosTokenId = idOf('eos_token');
  const padTokenId = idOf('pad_token');

  const source = config.chatTemplate;
  const template: ChatTemplate | null = source.kind === 'template' ? compileChatTemplate(source.text, source.file, config.specialTokens) : null;

  return {
    vocabSize,
    hasChatTemplate: template !== null,
    bosTokenId,
    eosTokenId,
    padTokenId,
    encode(text, options) {
      return tokenizer.encode(text, { add_special_tokens: options?.addSpecialTokens ?? true }).ids;
    },
    decode(ids, options) {
      // The library refuses an empty list; transformers decodes it to "".
      if (ids.length === 0) return '';
      const unknown = ids.find((id) => !Number.isInteger(id) || tokenizer.id_to_token(id) === undefined);
      if (unknown !== undefined) throw new EngineError('usage', `decode: ${unknown} is not a token id of this tokenizer`);
      return tokenizer.decode([...ids], {
        skip_special_tokens: options?.skipSpecialTokens ?? false,
        clean_up_tokenization_spaces: config.cleanUpTokenizationSpaces,
      });
    },
    applyChatTemplate(messages, options) {
      if (template === null) throw new EngineError('tokenizer', source.kind === 'none' ? source.reason : 'no chat template');
      return template.render(messages, options?.addGenerationPrompt ?? false);
    },
  };
}
