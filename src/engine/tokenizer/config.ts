import { EngineError } from '../errors.ts';

/**
 * What the engine reads from tokenizer_config.json, as transformers reads it: the named special tokens (a string,
 * or an AddedToken object `{content, ...}` in older files), the chat template (a string, or a list of
 * `{name, template}` of which "default" is used), and whether decode cleans up tokenization spaces.
 */

/** transformers' SPECIAL_TOKENS_ATTRIBUTES: the special tokens a chat template sees by name. */
export const SPECIAL_TOKEN_NAMES = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;
export type SpecialTokenName = (typeof SPECIAL_TOKEN_NAMES)[number];

export type ChatTemplateSource =
  | { readonly kind: 'template'; readonly text: string; readonly file: string }
  /** No usable template; `reason` says why, for the error applyChatTemplate throws. */
  | { readonly kind: 'none'; readonly reason: string };

export interface TokenizerConfig {
  /** The object handed to @huggingface/tokenizers (additional_special_tokens as strings, clean-up resolved). */
  readonly libraryConfig: Record<string, unknown>;
  readonly specialTokens: Readonly<Partial<Record<SpecialTokenName, string>>>;
  readonly chatTemplate: ChatTemplateSource;
  /** transformers v5: false unless the config says true, and ignored for BPE models unless forced. */
  readonly cleanUpTokenizationSpaces: boolean;
}

const CONFIG_FILE = 'tokenizer_config.json';
const TEMPLATE_FILE = 'chat_template.jinja';

function tokenizerError(message: string, file = CONFIG_FILE): EngineError {
  return new EngineError('tokenizer', `${file}: ${message}`, { file });
}

/** A token written as a string or as an AddedToken object; null where absent or null. */
function tokenContent(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && !Array.isArray(value) && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  throw tokenizerError(`"${field}" must be a token (a string or an object with "content"), found ${JSON.stringify(value)}`);
}

function chatTemplateOf(config: Record<string, unknown>, chatTemplateFile: string | null): ChatTemplateSource {
  if (chatTemplateFile !== null) return { kind: 'template', text: chatTemplateFile, file: TEMPLATE_FILE };
  const value = config.chat_template;
  if (value === undefined || value === null) return { kind: 'none', reason: 'the model has no chat template (neither chat_template.jinja nor "chat_template" in tokenizer_config.json)' };
  if (typeof value === 'string') return { kind: 'template', text: value, file: CONFIG_FILE };
  if (Array.isArray(value)) {
    const named = value.filter(
      (t): t is { name: string; template: string } =>
        typeof t === 'object' && t !== null && typeof (t as { name?: unknown }).name === 'string' && typeof (t as { template?: unknown }).template === 'string',
    );
    if (named.length !== value.length) throw tokenizerError('"chat_template" is a list whose entries are not all {"name", "template"}');
    const chosen = named.find((t) => t.name === 'default');
    if (chosen) return { kind: 'template', text: chosen.template, file: CONFIG_FILE };
    return { kind: 'none', reason: `tokenizer_config.json has several chat templates (${named.map((t) => t.name).join(', ')}) and none named "default"` };
  }
  throw tokenizerError(`"chat_template" must be a string or a list of {"name", "template"}, found ${typeof value}`);
}

/** Parses tokenizer_config.json's text (null: the model has none, as transformers allows). */
export function readTokenizerConfig(text: string | null, chatTemplateFile: string | null, modelType: string | null): TokenizerConfig {
  let config: Record<string, unknown> = {};
  if (text !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw tokenizerError(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw tokenizerError('must be a JSON object');
    config = parsed as Record<string, unknown>;
  }
  const specialTokens: Partial<Record<SpecialTokenName, string>> = {};
  for (const name of SPECIAL_TOKEN_NAMES) {
    const content = tokenContent(config[name], name);
    if (content !== null) specialTokens[name] = content;
  }
  const additional = config.additional_special_tokens;
  const additionalSpecialTokens = Array.isArray(additional)
    ? additional.map((t, i) => tokenContent(t, `additional_special_tokens[${i}]`)).filter((t): t is string => t !== null)
    : [];
  const cleanUpTokenizationSpaces =
    config.clean_up_tokenization_spaces === true &&
    (modelType !== 'BPE' || config.clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output === true);
  return {
    libraryConfig: { ...config, additional_special_tokens: additionalSpecialTokens, clean_up_tokenization_spaces: cleanUpTokenizationSpaces },
    specialTokens,
    chatTemplate: chatTemplateOf(config, chatTemplateFile),
    cleanUpTokenizationSpaces,
  };
}
