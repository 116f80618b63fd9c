import { Environment, Interpreter, Template } from '@huggingface/jinja';
import type { ChatMessage } from '../engine.ts';
import { EngineError } from '../errors.ts';
import type { SpecialTokenName } from './config.ts';
import { strftime } from './strftime.ts';

/**
 * A chat template rendered as transformers' apply_chat_template(tokenize=False) renders it: Jinja with
 * trim_blocks and lstrip_blocks (as @huggingface/jinja always parses), the variables `messages`,
 * `add_generation_prompt`, `tools` and `documents` (none), the named special tokens the tokenizer has (absent ones
 * stay undefined, as transformers leaves them out), `raise_exception` and `strftime_now`. Nothing else is defined,
 * so Qwen3's `enable_thinking` is undefined (thinking on), as when transformers is not given it.
 *
 * Known difference (test/unit/engine/tokenizer.test.ts): @huggingface/jinja prints booleans as true/false and none
 * as an empty string where Python's Jinja prints True/False/None. Templates print strings, not those.
 */
export interface ChatTemplate {
  render(messages: readonly ChatMessage[], addGenerationPrompt: boolean): string;
}

/**
 * transformers' `{% generation %}...{% endgeneration %}` (marks the assistant's tokens for a mask) renders its body
 * unchanged when no mask is asked for; @huggingface/jinja does not know the tag, so it becomes an always-true `if`
 * with the same whitespace control.
 */
function withoutGenerationTags(template: string): string {
  return template
    .replace(/\{%(-?)\s*generation\s*(-?)%\}/g, '{%$1 if true $2%}')
    .replace(/\{%(-?)\s*endgeneration\s*(-?)%\}/g, '{%$1 endif $2%}');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Parses a template; a syntax error is an EngineError of kind 'tokenizer' naming the file. */
export function compileChatTemplate(text: string, file: string, specialTokens: Readonly<Partial<Record<SpecialTokenName, string>>>): ChatTemplate {
  let template: Template;
  try {
    template = new Template(withoutGenerationTags(text));
  } catch (error) {
    throw new EngineError('tokenizer', `${file}: the chat template does not parse: ${messageOf(error)}`, { file });
  }
  return {
    render(messages, addGenerationPrompt) {
      try {
        return renderProgram(template, {
          ...specialTokens,
          messages: messages.map((m) => ({ role: m.role, content: m.content })),
          add_generation_prompt: addGenerationPrompt,
          tools: null,
          documents: null,
          raise_exception: (message: unknown) => {
            throw new EngineError('tokenizer', `${file}: the chat template refused the conversation: ${String(message)}`, { file });
          },
          strftime_now: (format: unknown) => strftime(new Date(), String(format)),
        });
      } catch (error) {
        if (error instanceof EngineError) throw error;
        throw new EngineError('tokenizer', `${file}: the chat template failed to render: ${messageOf(error)}`, { file });
      }
    },
  };
}

/** Python's range(), which Jinja templates call. */
function range(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}

/**
 * Template.render, with our own globals: it declares raise_exception and strftime_now itself and refuses a second
 * declaration, while ours must throw an EngineError and print English dates.
 */
function renderProgram(template: Template, variables: Record<string, unknown>): string {
  const env = new Environment();
  const globals = { true: true, false: false, none: null, True: true, False: false, None: null, range };
  for (const [name, value] of Object.entries({ ...globals, ...variables })) env.set(name, value);
  const result = new Interpreter(env).run(template.parsed).value;
  if (typeof result !== 'string') throw new Error(`the template produced ${typeof result}, not text`);
  return result;
}
