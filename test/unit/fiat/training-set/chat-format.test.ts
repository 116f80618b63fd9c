import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../../../../src/engine/tokenizer.ts';
import { type ChatTemplating, toChatPair } from '../../../../src/fiat/training-set/chat-format.ts';

const fixtures = new URL('../../../fixtures/tokenizers/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, fixtures), 'utf8');

/** The fixtures' BPE tokenizer with one of the preset templates (ChatML: `<|im_end|>` is its EOS). */
function templating(template: string, over: Partial<ChatTemplating> = {}): ChatTemplating {
  const tokenizer = createTokenizer({ tokenizerJson: read('bpe/tokenizer.json'), tokenizerConfig: read('bpe/tokenizer_config.json'), chatTemplate: read(`templates/${template}`) });
  return { applyChatTemplate: (messages, options) => Promise.resolve(tokenizer.applyChatTemplate(messages, options)), eosText: '<|im_end|>', ...over };
}

/** A template as a plain function, for the cases no preset has. */
const fake = (render: (messages: readonly { role: string; content: string }[], generation: boolean) => string, over: Partial<ChatTemplating> = {}): ChatTemplating => ({
  applyChatTemplate: (messages, options) => Promise.resolve(render(messages, options.addGenerationPrompt)),
  eosText: null,
  ...over,
});

describe('toChatPair', () => {
  it('SmolLM2 (ChatML): the prompt with the generation prompt; the completion is the answer, whose <|im_end|> is the EOS the engine appends', async () => {
    const pair = await toChatPair({ prompt: 'Q: why?', completion: 'supported' }, templating('smollm2-instruct.jinja'));
    expect(pair).toEqual({
      prompt: '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nQ: why?<|im_end|>\n<|im_start|>assistant\n',
      completion: 'supported',
      matched: true,
    });
  });

  it('Qwen2.5: its default system turn is in the prompt', async () => {
    const pair = await toChatPair({ prompt: 'Q', completion: 'no answer' }, templating('qwen2.5-instruct.jinja'));
    expect(pair.prompt).toMatch(/^<\|im_start\|>system\n.+<\|im_end\|>\n<\|im_start\|>user\nQ<\|im_end\|>\n<\|im_start\|>assistant\n$/su);
    expect(pair.completion).toBe('no answer');
  });

  it('Qwen3: the empty think block its template writes before the answer is part of the completion', async () => {
    const pair = await toChatPair({ prompt: 'Q', completion: 'Helsinki' }, templating('qwen3.jinja'));
    expect(pair).toEqual({ prompt: '<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n', completion: '<think>\n\n</think>\n\nHelsinki', matched: true });
  });

  it('an end of turn that is not the EOS stays in the completion (trailing whitespace dropped)', async () => {
    const render = (messages: readonly { role: string; content: string }[], generation: boolean) =>
      messages.map((m) => `<${m.role}>${m.content}<eot>\n\n`).join('') + (generation ? '<assistant>' : '');
    const pair = await toChatPair({ prompt: 'Q', completion: 'yes' }, fake(render, { eosText: '<eos>' }));
    expect(pair).toEqual({ prompt: '<user>Q<eot>\n\n<assistant>', completion: 'yes<eot>', matched: true });
  });

  it('a template that writes the BOS itself: the prompt drops it, the tokenizer adds it back', async () => {
    const render = (messages: readonly { role: string; content: string }[], generation: boolean) =>
      '<bos>' + messages.map((m) => `[${m.role}]${m.content}<eos>`).join('') + (generation ? '[assistant]' : '');
    const pair = await toChatPair({ prompt: 'Q', completion: 'yes' }, fake(render, { eosText: '<eos>', bosText: '<bos>' }));
    expect(pair).toEqual({ prompt: '[user]Q<eos>[assistant]', completion: 'yes', matched: true });
  });

  it('a template whose full text does not begin with its prompt: the answer as it is, and says so', async () => {
    const render = (messages: readonly { role: string; content: string }[], generation: boolean) => `${messages.length} turns${generation ? ' go' : ''}`;
    expect(await toChatPair({ prompt: 'Q', completion: 'yes' }, fake(render))).toEqual({ prompt: '1 turns go', completion: 'yes', matched: false });
  });
});
