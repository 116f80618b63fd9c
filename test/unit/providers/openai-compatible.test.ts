import { describe, expect, it } from 'vitest';
import { collectReasoning } from '../../../src/providers/collect.ts';
import { ProviderError } from '../../../src/providers/errors.ts';
import { OpenAICompatibleProvider } from '../../../src/providers/openai-compatible.ts';
import { defaultProviderSettings, type ProviderSettings } from '../../../src/providers/settings.ts';
import type { ProviderEvent, ProviderLogEntry, ReasoningRequest } from '../../../src/providers/types.ts';
import { reasoningText } from '../../support/openai-server.ts';
import { openAIServerPerFile } from '../../support/openai-server-hooks.ts';

// Made up for the tests; the server requires exactly this key.
const KEY = 'sk-test-9f8e7d6c5b4a39281706';

const server = openAIServerPerFile({ apiKey: KEY });

function settings(overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  return defaultProviderSettings({ id: 'test', baseUrl: server().baseUrl, model: 'fake-reasoner', ...overrides });
}

function provider(overrides: Partial<ProviderSettings> = {}, options: { apiKey?: string; log?: (e: ProviderLogEntry) => void; idleTimeoutMs?: number } = {}) {
  return new OpenAICompatibleProvider({ settings: settings(overrides), apiKey: options.apiKey ?? KEY, log: options.log, idleTimeoutMs: options.idleTimeoutMs });
}

const prompt = 'Question: is the sky blue? <<answer:supported>>';
const request: ReasoningRequest = { messages: [{ role: 'user', content: prompt }], params: { temperature: 0, maxTokens: 256, stop: [] } };

async function events(p: OpenAICompatibleProvider, req = request, signal?: AbortSignal): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const e of p.stream(req, signal ? { signal } : {})) out.push(e);
  return out;
}

function terminal(list: ProviderEvent[]): ProviderEvent {
  const last = list.at(-1);
  if (!last) throw new Error('no events');
  expect(list.filter((e) => e.type !== 'delta')).toHaveLength(1);
  return last;
}

function errorOf(list: ProviderEvent[]): ProviderError {
  const last = terminal(list);
  if (last.type !== 'error') throw new Error(`expected an error event, got ${last.type}`);
  return last.error;
}

describe('OpenAICompatibleProvider streaming', () => {
  it('streams the reasoning in several deltas and ends with done, usage from the server', async () => {
    const list = await events(provider());
    const deltas = list.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.map((d) => d.text).join('')).toBe(reasoningText(prompt, 'supported'));
    const last = terminal(list);
    expect(last).toMatchObject({ type: 'done', finishReason: 'stop', usage: { estimated: false } });
    if (last.type === 'done') expect(last.usage.completionTokens).toBe(reasoningText(prompt, 'supported').split(/\s+/).length);
  });

  it('sends model, temperature, max tokens, stop and stream_options, and the key only in the header', async () => {
    await events(provider(), { ...request, params: { temperature: 0, maxTokens: 99, stop: ['\n\n'] } });
    const [logged] = server().requests;
    expect(logged?.body).toMatchObject({ model: 'fake-reasoner', temperature: 0, max_tokens: 99, stop: ['\n\n'], stream: true, stream_options: { include_usage: true } });
    expect(logged?.url).toBe('/v1/chat/completions');
    expect(JSON.stringify(logged?.body)).not.toContain(KEY);
  });

  it('uses max_completion_tokens when the settings say so, and honours it (finish reason length)', async () => {
    const list = await events(provider({ maxTokensField: 'max_completion_tokens' }), { ...request, params: { temperature: 0, maxTokens: 3, stop: [] } });
    expect(server().requests[0]?.body).toHaveProperty('max_completion_tokens', 3);
    expect(terminal(list)).toMatchObject({ type: 'done', finishReason: 'length' });
  });

  it('estimates usage and marks it so when the server sends none', async () => {
    const list = await events(provider({ streamUsage: false }));
    const last = terminal(list);
    expect(last).toMatchObject({ type: 'done', usage: { estimated: true } });
    if (last.type === 'done') expect(last.usage.completionTokens).toBeGreaterThan(0);
  });

  it('reassembles events split across network writes', async () => {
    server().enqueue({ kind: 'normal', fragment: true });
    const result = await collectReasoning(provider(), request);
    expect(result).toMatchObject({ reasoning: '', content: reasoningText(prompt, 'supported') });
  });

  it('works without streaming (one JSON response)', async () => {
    const result = await collectReasoning(provider({ streaming: false }), request);
    expect(result).toMatchObject({ reasoning: '', content: reasoningText(prompt, 'supported') });
    expect(result.usage.estimated).toBe(false);
    expect(server().requests[0]?.stream).toBe(false);
  });
});

describe('OpenAICompatibleProvider faults', () => {
  it('429 with Retry-After seconds -> rate-limit with retryAfterMs', async () => {
    server().enqueue({ kind: 'rate-limit', retryAfter: '7' });
    const error = errorOf(await events(provider()));
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 7000 });
  });

  it('429 with Retry-After as an HTTP date -> the time until then', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    server().enqueue({ kind: 'rate-limit', retryAfter: new Date(now + 12_000).toUTCString() });
    const p = new OpenAICompatibleProvider({ settings: settings(), apiKey: KEY, now: () => now });
    const error = errorOf(await events(p));
    expect(error.retryAfterMs).toBe(12_000);
  });

  it('500 -> server error', async () => {
    server().enqueue({ kind: 'server-error' });
    expect(errorOf(await events(provider()))).toMatchObject({ kind: 'server', status: 500 });
  });

  it('a malformed chunk -> bad-response naming the chunk position', async () => {
    server().enqueue({ kind: 'malformed-chunk', afterChunks: 2 });
    const error = errorOf(await events(provider()));
    expect(error.kind).toBe('bad-response');
    // comment (not an event), role chunk = 1, two content chunks = 2, 3, the broken one = 4
    expect(error.message).toMatch(/chunk 4 of the stream is not valid JSON/);
  });

  it('a connection dropped before [DONE] -> network error, never a silent partial answer', async () => {
    server().enqueue({ kind: 'drop', afterChunks: 3 });
    const list = await events(provider());
    const error = errorOf(list);
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/after 4 chunks/);
    await expect(collectReasoningAfterDrop()).rejects.toMatchObject({ kind: 'network' });
  });

  it('an error object inside the stream -> typed error with the server message', async () => {
    server().enqueue({ kind: 'stream-error', message: 'The model is overloaded.' });
    const error = errorOf(await events(provider()));
    expect(error).toMatchObject({ kind: 'server', status: 503 });
    expect(error.message).toContain('The model is overloaded.');
  });

  it('a stalled stream -> network error after the idle timeout', async () => {
    server().enqueue({ kind: 'hang' });
    const error = errorOf(await events(provider({}, { idleTimeoutMs: 100 })));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/no data from the server/);
  });

  it('a slow stream still completes', async () => {
    server().enqueue({ kind: 'slow', chunkDelayMs: 5 });
    const result = await collectReasoning(provider({}, { idleTimeoutMs: 1000 }), request);
    expect(result).toMatchObject({ reasoning: '', content: reasoningText(prompt, 'supported') });
    expect(result.firstTokenMs).not.toBeNull();
  });

  it('abort -> aborted error', async () => {
    server().enqueue({ kind: 'slow', chunkDelayMs: 30 });
    const controller = new AbortController();
    const pending = events(provider(), request, controller.signal);
    setTimeout(() => controller.abort(), 60);
    expect(errorOf(await pending).kind).toBe('aborted');
  });

  it('an unreachable server -> network error mentioning CORS', async () => {
    const p = new OpenAICompatibleProvider({ settings: defaultProviderSettings({ id: 'x', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }), apiKey: KEY });
    const error = errorOf(await events(p));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:9\/v1/);
  });

  it('unknown model -> bad-request with a hint', async () => {
    const error = errorOf(await events(provider({ model: 'no-such-model' })));
    expect(error).toMatchObject({ kind: 'bad-request', status: 404 });
    expect(error.message).toContain('no-such-model');
  });
});

describe('the key never leaves the provider', () => {
  const wrongKey = 'sk-wrong-0123456789abcdef';

  it('a 401 whose body echoes the key -> auth error without the key, in message, JSON and logs', async () => {
    const logs: ProviderLogEntry[] = [];
    const p = provider({}, { apiKey: wrongKey, log: (e) => logs.push(e) });
    const error = errorOf(await events(p));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/check the API key/);
    expect(error.message).not.toContain(wrongKey);
    expect(error.message).not.toContain('0123456789abcdef');
    expect(JSON.stringify(error)).not.toContain(wrongKey);
    expect(String(error.stack)).not.toContain(wrongKey);
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain(wrongKey);
  });

  it('is never in a request URL or body', async () => {
    await events(provider());
    await provider().testConnection();
    for (const r of server().requests) {
      expect(r.url).not.toContain(KEY);
      expect(JSON.stringify(r.body)).not.toContain(KEY);
    }
  });

  it('is not exposed by describe()', () => {
    expect(JSON.stringify(provider().describe())).not.toContain(KEY);
  });
});

describe('testConnection', () => {
  it('lists models and says whether the configured one is there', async () => {
    const result = await provider().testConnection();
    expect(result).toMatchObject({ ok: true, models: ['fake-reasoner'], modelListed: true });
    expect((await provider({ model: 'other' }).testConnection())).toMatchObject({ ok: true, modelListed: false });
  });

  it('reports a wrong key as an auth error', async () => {
    const result = await provider({}, { apiKey: 'sk-nope-nope-nope-nope' }).testConnection();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('auth');
  });

  it('falls back to a one-token completion when /models is missing', async () => {
    const fetchWithout404Models: typeof fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).endsWith('/models') ? Promise.resolve(new Response('no', { status: 404 })) : fetch(input, init);
    const p = new OpenAICompatibleProvider({ settings: settings(), apiKey: KEY, fetch: fetchWithout404Models });
    expect(await p.testConnection()).toMatchObject({ ok: true, models: null });
    expect(server().requests[0]?.body).toMatchObject({ max_tokens: 1 });
  });
});

async function collectReasoningAfterDrop() {
  server().enqueue({ kind: 'drop', afterChunks: 1 });
  return collectReasoning(provider(), request);
}

describe('base URL', () => {
  it('refuses credentials and query strings', () => {
    expect(() => new OpenAICompatibleProvider({ settings: defaultProviderSettings({ id: 'x', baseUrl: 'http://u:p@127.0.0.1/v1', model: 'm' }) })).toThrow(ProviderError);
    expect(() => new OpenAICompatibleProvider({ settings: defaultProviderSettings({ id: 'x', baseUrl: 'http://127.0.0.1/v1?key=abc', model: 'm' }) })).toThrow(/query string/);
  });
});
