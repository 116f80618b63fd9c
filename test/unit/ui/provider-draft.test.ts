import { describe, expect, it } from 'vitest';
import { createReasoningProvider, providerIdentity } from '../../../src/fiat/reasoning/provider-factory.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';
import {
  applyPreset, draftFromSettings, escapeStop, type ProviderDraft, settingsFromDraft, unescapeStop,
} from '../../../src/ui/features/provider/provider-draft.ts';

const newId = () => 'provider-new';

describe('provider form draft', () => {
  it('a new profile starts from the Ollama preset at temperature 0, and needs a model', () => {
    const draft = draftFromSettings(null, newId);
    expect(draft).toMatchObject({ id: 'provider-new', presetId: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: '', temperature: '0' });
    const result = settingsFromDraft(draft);
    expect(result.ok ? {} : result.errors).toEqual({ model: expect.stringMatching(/model id/) as unknown });
    const ok = settingsFromDraft({ ...draft, model: ' llama3.1:8b ' });
    expect(ok).toEqual({
      ok: true,
      settings: defaultProviderSettings({ id: 'provider-new', presetId: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' }),
    });
  });

  it('round-trips settings, prices, optional parameters and escaped stop sequences', () => {
    const settings = defaultProviderSettings({
      id: 'p', presetId: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', maxTokensField: 'max_completion_tokens',
      params: { temperature: 0.3, maxTokens: 300, stop: ['\n\n', 'Question:', 'a\\b'], topP: 0.9, seed: 7 },
      pricePerMillion: { input: 0.15, output: 0.6 },
    });
    const draft = draftFromSettings(settings, newId);
    expect(draft.stop).toBe('\\n\\n\nQuestion:\na\\\\b');
    expect(settingsFromDraft(draft)).toEqual({ ok: true, settings });
  });

  it('says what is wrong, field by field', () => {
    const draft = { ...draftFromSettings(null, newId), model: 'm' };
    const errors = (patch: Partial<typeof draft>) => {
      const r = settingsFromDraft({ ...draft, ...patch });
      return r.ok ? {} : r.errors;
    };
    expect(errors({ baseUrl: 'http://127.0.0.1:8000/v1?api_key=abc' })).toEqual({ baseUrl: expect.stringMatching(/query string/) as unknown });
    expect(errors({ baseUrl: 'http://me:secret@127.0.0.1/v1' })).toEqual({ baseUrl: expect.stringMatching(/credentials/) as unknown });
    expect(Object.keys(errors({ temperature: '2.5', maxTokens: '1.5' }))).toEqual(['temperature', 'maxTokens']);
    expect(Object.keys(errors({ stop: 'a\nb\nc\nd\ne' }))).toEqual(['stop']);
    expect(Object.keys(errors({ priceInput: '1', priceOutput: '' }))).toEqual(['priceOutput']);
    expect(Object.keys(errors({ topP: '0', seed: '1.5' }))).toEqual(['topP', 'seed']);
  });

  it('a preset brings its base URL and server settings, keeps the parameters', () => {
    const draft = { ...draftFromSettings(null, newId), model: 'llama3.1:8b', temperature: '0.2' };
    const openai = applyPreset(draft, 'openai');
    expect(openai).toMatchObject({ presetId: 'openai', baseUrl: 'https://api.openai.com/v1', model: '', maxTokensField: 'max_completion_tokens', temperature: '0.2' });
    expect(applyPreset(openai, 'vllm')).toMatchObject({ baseUrl: 'http://127.0.0.1:8000/v1', maxTokensField: 'max_tokens' });
  });

  it('the in-browser preset starts from the demo model at a max tokens its context holds; no prices, no server fields', () => {
    const draft = applyPreset({ ...draftFromSettings(null, newId), priceInput: '1', priceOutput: '2', temperature: '0.5' }, 'in-browser');
    expect(draft).toMatchObject({ presetId: 'in-browser', inBrowserModel: 'demo', revision: 'main', maxTokens: '128', temperature: '0.5' });
    expect(settingsFromDraft(draft)).toEqual({
      ok: true,
      settings: defaultProviderSettings({
        id: 'provider-new', presetId: 'in-browser', baseUrl: 'https://huggingface.co', model: 'fiat-studio/demo',
        params: { temperature: 0.5, maxTokens: 128, stop: [] },
      }),
    });
    // Switching back and forth within the preset keeps what was typed.
    expect(applyPreset({ ...draft, maxTokens: '300' }, 'in-browser')).toMatchObject({ maxTokens: '300' });
  });

  it('a Hub model is repo@revision from an endpoint, round-trips, and its fields say what is wrong', () => {
    const hub: ProviderDraft = { ...applyPreset(draftFromSettings(null, newId), 'in-browser'), inBrowserModel: 'hub', model: ' Qwen/Qwen2.5-0.5B-Instruct ', revision: 'v2' };
    const result = settingsFromDraft({ ...hub, baseUrl: 'http://127.0.0.1:8788/' });
    expect(result.ok && result.settings).toMatchObject({ presetId: 'in-browser', baseUrl: 'http://127.0.0.1:8788', model: 'Qwen/Qwen2.5-0.5B-Instruct@v2' });
    if (!result.ok) throw new Error('expected settings');
    expect(draftFromSettings(result.settings, newId)).toMatchObject({ inBrowserModel: 'hub', model: 'Qwen/Qwen2.5-0.5B-Instruct', revision: 'v2', baseUrl: 'http://127.0.0.1:8788' });
    expect(draftFromSettings({ ...result.settings, model: 'fiat-studio/demo' }, newId)).toMatchObject({ inBrowserModel: 'demo', model: '' });
    const errors = (patch: Partial<typeof hub>) => {
      const r = settingsFromDraft({ ...hub, ...patch });
      return r.ok ? {} : r.errors;
    };
    expect(errors({ model: 'SmolLM2' })).toEqual({ model: expect.stringMatching(/owner\/name/) as unknown });
    expect(errors({ model: 'fiat-studio/demo' })).toEqual({ model: expect.stringMatching(/is the demo model/) as unknown });
    expect(errors({ revision: ' ' })).toEqual({ revision: expect.stringMatching(/branch, tag or commit/) as unknown });
    expect(errors({ baseUrl: 'ftp://hub' })).toEqual({ baseUrl: expect.stringMatching(/scheme/) as unknown });
    // The demo model ignores the endpoint field.
    expect(errors({ inBrowserModel: 'demo', baseUrl: 'ftp://hub' })).toEqual({});
  });

  it('stop-sequence escapes are each other’s inverse', () => {
    for (const stop of ['\n', '\t', '\\n', 'plain', 'a\\\nb']) expect(unescapeStop(escapeStop(stop))).toBe(stop);
  });
});

describe('provider factory', () => {
  it('builds a provider whose identity is the normalised endpoint and model, labelled by its preset', () => {
    const settings = defaultProviderSettings({ id: 'p', presetId: 'lm-studio', baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen2.5-7b-instruct' });
    const provider = createReasoningProvider(settings, { apiKey: null });
    expect(provider.id).toBe('p');
    expect(provider.describe()).toEqual({
      kind: 'openai-compatible',
      label: 'LM Studio (qwen2.5-7b-instruct)',
      identity: { endpoint: 'http://127.0.0.1:1234/v1', model: 'qwen2.5-7b-instruct' },
    });
    expect(createReasoningProvider({ ...settings, presetId: 'custom' }, { apiKey: null }).describe().label).toBe('127.0.0.1:1234 (qwen2.5-7b-instruct)');
  });

  it('gives the cache identity of a profile without its key, the same as its provider describes', () => {
    const settings = defaultProviderSettings({ id: 'p', baseUrl: 'HTTP://LocalHost:8000/v1/', model: 'm' });
    expect(providerIdentity(settings)).toEqual({ endpoint: 'http://localhost:8000/v1', model: 'm' });
    expect(providerIdentity(settings)).toEqual(createReasoningProvider(settings, { apiKey: 'sk-identity-key-123456' }).describe().identity);
  });

  it('sends the key only in the Authorization header, never in the URL', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push({ url: input instanceof Request ? input.url : String(input), auth: new Headers(init?.headers).get('authorization') });
      return Promise.resolve(new Response(JSON.stringify({ data: [{ id: 'm' }] }), { status: 200, headers: { 'content-type': 'application/json' } }));
    };
    const settings = defaultProviderSettings({ id: 'p', presetId: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', model: 'm' });
    const result = await createReasoningProvider(settings, { apiKey: 'sk-factory-key-123456', fetch }).testConnection();
    expect(result).toMatchObject({ ok: true, modelListed: true });
    expect(seen).toEqual([{ url: 'https://generativelanguage.googleapis.com/v1beta/openai/models', auth: 'Bearer sk-factory-key-123456' }]);
  });
});
