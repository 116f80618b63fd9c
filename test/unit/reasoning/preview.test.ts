import { describe, expect, it } from 'vitest';
import { runReasoningBatch } from '../../../src/fiat/reasoning/batch-runner.ts';
import { MemoryReasoningCache } from '../../../src/fiat/reasoning/cache.ts';
import { previewReasoning } from '../../../src/fiat/reasoning/preview.ts';
import { OpenAICompatibleProvider } from '../../../src/providers/openai-compatible.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';
import type { ChatMessage, GenerationParams } from '../../../src/providers/types.ts';
import { reasoningText } from '../../support/openai-server.ts';
import { openAIServerPerFile } from '../../support/openai-server-hooks.ts';

const params: GenerationParams = { temperature: 0, maxTokens: 256, stop: [] };
const server = openAIServerPerFile();

const provider = () => new OpenAICompatibleProvider({ settings: defaultProviderSettings({ id: 'p', baseUrl: server().baseUrl, model: 'fake-reasoner' }) });

describe('previewReasoning', () => {
  it('streams, caches, and the batch then skips the previewed example', async () => {
    const cache = new MemoryReasoningCache();
    const messages: ChatMessage[] = [{ role: 'user', content: 'Preview me <<answer:Portland>>' }];
    const pieces: string[] = [];
    const first = await previewReasoning({ provider: provider(), cache, messages, params, onDelta: (_part, t) => pieces.push(t) });
    expect(first.fromCache).toBe(false);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe(reasoningText('Preview me <<answer:Portland>>', 'Portland'));
    expect(first.entry.usage.completionTokens).toBeGreaterThan(0);
    expect(first.firstTokenMs).not.toBeNull();

    const again = await previewReasoning({ provider: provider(), cache, messages, params });
    expect(again.fromCache).toBe(true);
    expect(server().stats().chatRequests).toBe(1);

    const batch = await runReasoningBatch({ provider: provider(), cache, jobs: [{ exampleId: 'a', messages }], params });
    expect(batch).toMatchObject({ cached: 1, requests: 0 });

    const regenerated = await previewReasoning({ provider: provider(), cache, messages, params, regenerate: true });
    expect(regenerated.fromCache).toBe(false);
    expect(server().stats().chatRequests).toBe(2);
  });

  it('throws a typed error and caches nothing when the stream fails', async () => {
    server().enqueue({ kind: 'drop', afterChunks: 2 });
    const cache = new MemoryReasoningCache();
    await expect(previewReasoning({ provider: provider(), cache, messages: [{ role: 'user', content: 'x' }], params })).rejects.toMatchObject({ kind: 'network' });
    expect(cache.entries.size).toBe(0);
  });
});
