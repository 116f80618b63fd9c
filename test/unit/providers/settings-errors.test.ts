import { describe, expect, it } from 'vitest';
import { errorKindForStatus, makeScrubber, parseRetryAfter, ProviderError } from '../../../src/providers/errors.ts';
import { findPreset, PROVIDER_PRESETS } from '../../../src/providers/presets.ts';
import { defaultProviderSettings, normaliseBaseUrl, parseProviderSettings } from '../../../src/providers/settings.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-06-01T12:00:00Z');
  it('reads delta-seconds, fractional seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('Sat, 01 Jun 2030 12:00:30 GMT', now)).toBe(30_000);
  });
  it('gives 0 for a date in the past and undefined for garbage', () => {
    expect(parseRetryAfter('Sat, 01 Jun 2030 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('errorKindForStatus', () => {
  it('maps statuses to kinds', () => {
    expect([401, 403, 429, 500, 503, 408, 400, 404, 422].map(errorKindForStatus)).toEqual([
      'auth',
      'auth',
      'rate-limit',
      'server',
      'server',
      'server',
      'bad-request',
      'bad-request',
      'bad-request',
    ]);
  });
});

describe('makeScrubber', () => {
  const key = 'AIzaSyD-made-up-key_for+tests/1';
  const scrub = makeScrubber([key]);
  it('removes the key, its URL-encoded form, bearer tokens and sk- keys', () => {
    const text = `got ${key} and ${encodeURIComponent(key)}; Authorization: Bearer abc.def; other sk-proj-ABCDEFGH12345678; url?key=zzz&x=1`;
    const out = scrub(text);
    expect(out).not.toContain(key);
    expect(out).not.toContain(encodeURIComponent(key));
    expect(out).not.toContain('abc.def');
    expect(out).not.toContain('sk-proj-ABCDEFGH12345678');
    expect(out).not.toContain('zzz');
    expect(out).toContain('x=1');
  });
  it('leaves text without secrets alone and ignores empty secrets', () => {
    expect(makeScrubber(['', null, undefined])('plain text, 42 tokens')).toBe('plain text, 42 tokens');
  });
});

describe('ProviderError', () => {
  it('serialises to plain JSON with its kind', () => {
    const error = new ProviderError('rate-limit', 'slow down', { status: 429, retryAfterMs: 2000 });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ kind: 'rate-limit', message: 'slow down', status: 429, retryAfterMs: 2000 });
  });
});

describe('provider settings', () => {
  it('normalises base URLs so one endpoint gives one cache key', () => {
    expect(normaliseBaseUrl('HTTP://LocalHost:11434/v1/')).toEqual({ ok: true, url: 'http://localhost:11434/v1' });
    expect(normaliseBaseUrl(' https://generativelanguage.googleapis.com/v1beta/openai/ ')).toEqual({
      ok: true,
      url: 'https://generativelanguage.googleapis.com/v1beta/openai',
    });
    expect(normaliseBaseUrl('ftp://x')).toMatchObject({ ok: false });
    expect(normaliseBaseUrl('not a url')).toMatchObject({ ok: false, message: expect.stringContaining('not a URL') as unknown });
  });

  it('drops an apiKey smuggled into exportable settings', () => {
    const input = { ...defaultProviderSettings({ id: 'p', baseUrl: 'https://api.openai.com/v1/', model: 'gpt' }), apiKey: 'sk-secret-secret-secret' };
    const parsed = parseProviderSettings(input);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(JSON.stringify(parsed.settings)).not.toContain('sk-secret');
      expect(parsed.settings.baseUrl).toBe('https://api.openai.com/v1');
    }
  });

  it('names the bad field', () => {
    const input = { ...defaultProviderSettings({ id: 'p', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' }), params: { temperature: 5, maxTokens: 10, stop: [] } };
    expect(parseProviderSettings(input)).toEqual({ ok: false, message: expect.stringMatching(/^params\.temperature: /) as unknown });
    expect(parseProviderSettings({ ...input, params: { temperature: 0, maxTokens: 10, stop: [] }, baseUrl: 'http://a@b/v1' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^baseUrl: credentials/) as unknown,
    });
  });

  it('defaults to temperature 0 (argmax reasoning, as in the paper)', () => {
    expect(defaultProviderSettings({ id: 'p', baseUrl: 'http://x/v1', model: 'm' }).params.temperature).toBe(0);
  });
});

describe('presets', () => {
  it('has the documented endpoints, each a valid normalised base URL', () => {
    expect(findPreset('gemini')?.baseUrl).toBe('https://generativelanguage.googleapis.com/v1beta/openai');
    expect(findPreset('ollama')?.baseUrl).toBe('http://127.0.0.1:11434/v1');
    for (const id of ['openai', 'vllm', 'llama-cpp', 'lm-studio', 'openrouter']) expect(findPreset(id)).toBeDefined();
    for (const preset of PROVIDER_PRESETS) expect(normaliseBaseUrl(preset.baseUrl)).toEqual({ ok: true, url: preset.baseUrl });
  });
});
