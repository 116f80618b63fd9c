import { describe, expect, it } from 'vitest';
import { collectReasoning } from '../../../src/providers/collect.ts';
import { OpenAICompatibleProvider } from '../../../src/providers/openai-compatible.ts';
import { parseCompletion, parseStreamChunk } from '../../../src/providers/openai-wire.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';
import type { ReasoningRequest } from '../../../src/providers/types.ts';
import { reasoningModelText, reasoningText, type ReasoningField } from '../../support/openai-server.ts';
import { openAIServerPerFile } from '../../support/openai-server-hooks.ts';

// Reasoning models (vLLM's reasoning parsers, DeepSeek, Ollama, OpenRouter) send their chain of thought
// apart from the final answer: the provider reads both, in every form, streaming and not.

const server = openAIServerPerFile();

function provider(streaming: boolean) {
  return new OpenAICompatibleProvider({ settings: defaultProviderSettings({ id: 'test', baseUrl: server().baseUrl, model: 'fake-reasoner', streaming }) });
}

const prompt = 'Question: how many? <<answer:308>>';
const request = (maxTokens = 256): ReasoningRequest => ({ messages: [{ role: 'user', content: prompt }], params: { temperature: 0, maxTokens, stop: [] } });
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('reasoning fields', () => {
  const forms: { field: ReasoningField; streaming: boolean }[] = [
    { field: 'reasoning_content', streaming: true },
    { field: 'reasoning', streaming: true },
    { field: 'reasoning_content', streaming: false },
    { field: 'reasoning', streaming: false },
  ];
  for (const { field, streaming } of forms) {
    it(`${streaming ? 'delta' : 'message'}.${field}: the reasoning and the final answer come apart, reasoning tokens counted`, async () => {
      server().configure({ reasoningField: field });
      const pieces: { part: string; text: string }[] = [];
      const result = await collectReasoning(provider(streaming), request(), { onDelta: (part, text) => pieces.push({ part, text }) });
      const expected = reasoningModelText(prompt, '308');
      expect(result).toMatchObject({ reasoning: expected.reasoning, content: expected.content, finishReason: 'stop' });
      expect(result.usage).toEqual({
        promptTokens: words(prompt),
        completionTokens: words(expected.reasoning) + words(expected.content),
        reasoningTokens: words(expected.reasoning),
        estimated: false,
      });
      // The reasoning streams first, and the first token time counts it.
      expect(pieces[0]?.part).toBe('reasoning');
      expect(result.firstTokenMs).not.toBeNull();
      expect(pieces.filter((p) => p.part === 'reasoning').map((p) => p.text).join('')).toBe(expected.reasoning);
    });

    it(`${streaming ? 'delta' : 'message'}.${field}: all reasoning, stopped at max tokens, is a result with finish reason length (content null in JSON)`, async () => {
      server().configure({ reasoningField: field });
      const result = await collectReasoning(provider(streaming), request(5));
      expect(result).toMatchObject({ content: '', finishReason: 'length' });
      expect(words(result.reasoning)).toBe(5);
    });
  }

  it('a model without a reasoning field: everything is content, no reasoning tokens', async () => {
    const result = await collectReasoning(provider(true), request());
    expect(result).toMatchObject({ reasoning: '', content: reasoningText(prompt, '308'), finishReason: 'stop' });
    expect(result.usage.reasoningTokens).toBeUndefined();
  });

  it('an empty response is a result with empty text, streaming and not', async () => {
    server().enqueue({ kind: 'empty' }, { kind: 'empty' });
    for (const streaming of [true, false]) {
      const result = await collectReasoning(provider(streaming), request());
      expect(result).toMatchObject({ reasoning: '', content: '', finishReason: 'stop' });
    }
  });
});

describe('openai-wire reasoning fields', () => {
  it('a chunk with both reasoning_content and reasoning (servers in transition) counts the text once', () => {
    const chunk = parseStreamChunk(JSON.stringify({ choices: [{ delta: { reasoning_content: 'think', reasoning: 'think' }, finish_reason: null }] }), 1);
    expect(chunk).toMatchObject({ kind: 'chunk', reasoning: 'think', content: '' });
  });

  it('a response whose content is null and has no reasoning is an empty completion; one with no message is invalid', () => {
    expect(parseCompletion(JSON.stringify({ choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'length' }] }))).toMatchObject({
      kind: 'completion',
      reasoning: '',
      content: '',
      finishReason: 'length',
    });
    expect(parseCompletion(JSON.stringify({ choices: [{ finish_reason: 'stop' }] }))).toMatchObject({ kind: 'invalid' });
  });

  it('reads reasoning tokens from completion_tokens_details', () => {
    const usage = { prompt_tokens: 3, completion_tokens: 9, completion_tokens_details: { reasoning_tokens: 7 } };
    expect(parseCompletion(JSON.stringify({ choices: [{ message: { content: 'x' }, finish_reason: 'stop' }], usage }))).toMatchObject({
      usage: { promptTokens: 3, completionTokens: 9, reasoningTokens: 7 },
    });
  });
});
