import { describe, expect, it } from 'vitest';
import { betaPrompts } from '../../../src/fiat/prompt/assemble.ts';
import { reasoningCacheKey } from '../../../src/fiat/reasoning/cache-key.ts';
import { betaPromptsInSlices, taskPromptKeys } from '../../../src/fiat/reasoning/prompt-keys.ts';
import type { Example, TaskSpec } from '../../../src/fiat/task/task.ts';
import { estimatePromptTokens } from '../../../src/providers/token-estimate.ts';

const spec: TaskSpec = { kind: 'classification', labels: [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }] };
// More than one slice (200), with one prompt shared by two examples.
const examples: Example[] = Array.from({ length: 450 }, (_, i) => ({
  id: `e${i}`, split: 'train', lang: 'en', question: `q${i === 449 ? 0 : i}`, passage: 'p', answer: 'a', label: '1',
}));
const identity = { endpoint: 'http://127.0.0.1:8787/v1', model: 'm' };
const params = { temperature: 0, maxTokens: 64, stop: [] };
const beta = 'Question: {{question}}\nAnswer: {{answer}}';

describe('I_β prompts and keys of a whole task, in slices', () => {
  it('render the same prompts as betaPrompts, in order', async () => {
    expect(await betaPromptsInSlices({ spec, beta, exemplars: [], examples })).toEqual(betaPrompts(spec, beta, [], examples));
  });

  it('key every example as reasoningCacheKey does, with its estimated prompt tokens', async () => {
    const result = await taskPromptKeys({ spec, beta, exemplars: [], examples, identity, params });
    if (!result.ok) throw new Error('expected keys');
    expect(result.keys.size).toBe(450);
    const messages = [{ role: 'user' as const, content: 'Question: q300\nAnswer: a' }];
    expect(result.keys.get('e300')).toBe(await reasoningCacheKey({ identity, params, messages }));
    expect(result.keys.get('e449')).toBe(result.keys.get('e0'));
    expect(result.promptTokens.get('e300')).toBe(estimatePromptTokens(messages));
  });

  it('give I_β’s template errors instead, for an empty task too', async () => {
    const result = await taskPromptKeys({ spec, beta: '{{question}} {{reasoning}}', exemplars: [], examples: [], identity, params });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.code)).toEqual(['misplaced-variable']);
    expect((await betaPromptsInSlices({ spec, beta: '{{nope}}', exemplars: [], examples })).ok).toBe(false);
  });

  it('stop between slices when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(taskPromptKeys({ spec, beta, exemplars: [], examples, identity, params, signal: controller.signal })).rejects.toThrow();
  });
});
