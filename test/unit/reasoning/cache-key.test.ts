import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, keyParams, promptHash, reasoningCacheKey, reasoningCacheKeyer, sha256Hex } from '../../../src/fiat/reasoning/cache-key.ts';
import type { CacheKeyInput } from '../../../src/fiat/reasoning/cache-key.ts';

const base: CacheKeyInput = {
  identity: { endpoint: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' },
  params: { temperature: 0, maxTokens: 512, stop: ['\n\n', 'Question:'] },
  messages: [{ role: 'user', content: 'Is the answer supported? So the answer is' }],
};

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: undefined, b: 'x' } })).toBe('{"a":{"b":"x","d":[3,1]},"b":1}');
  });
  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson({ t: Number.NaN })).toThrow(/no JSON form/);
  });
});

describe('sha256Hex', () => {
  it('agrees with node:crypto (WebCrypto in Node 20 and browsers)', async () => {
    const text = 'প্রশ্ন: আকাশ কি নীল?';
    expect(await sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });
});

describe('reasoningCacheKey', () => {
  it('is the SHA-256 of the canonical JSON of version, normalised endpoint, model, parameters and messages', async () => {
    const spelled = { ...base, identity: { ...base.identity, endpoint: 'HTTP://127.0.0.1:11434/v1/' } };
    const expected = await sha256Hex(
      canonicalJson({ v: 1, endpoint: 'http://127.0.0.1:11434/v1', model: base.identity.model, params: keyParams(base.params), messages: base.messages }),
    );
    expect(await reasoningCacheKey(spelled)).toBe(expected);
    // The keyer for many prompts (endpoint normalised once) gives the same keys.
    const keyOf = reasoningCacheKeyer(spelled.identity, { ...base.params, seed: 3 });
    expect(await keyOf(base.messages)).toBe(await reasoningCacheKey({ ...base, params: { ...base.params, seed: 3 } }));
    expect(await keyOf([{ role: 'user', content: '"},"model":"x' }])).toBe(
      await reasoningCacheKey({ ...base, params: { ...base.params, seed: 3 }, messages: [{ role: 'user', content: '"},"model":"x' }] }),
    );
  });

  it('is a stable 64-hex-digit key', async () => {
    const key = await reasoningCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await reasoningCacheKey(structuredClone(base))).toBe(key);
  });

  it('ignores what does not change the output: URL spelling, stop order, key order', async () => {
    const key = await reasoningCacheKey(base);
    expect(await reasoningCacheKey({ ...base, identity: { ...base.identity, endpoint: 'HTTP://127.0.0.1:11434/v1/' } })).toBe(key);
    expect(await reasoningCacheKey({ ...base, params: { maxTokens: 512, stop: ['Question:', '\n\n', '\n\n'], temperature: 0 } })).toBe(key);
  });

  it('changes with endpoint, model, each parameter, and the prompt', async () => {
    const key = await reasoningCacheKey(base);
    const variants: CacheKeyInput[] = [
      { ...base, identity: { ...base.identity, endpoint: 'http://127.0.0.1:8000/v1' } },
      { ...base, identity: { ...base.identity, model: 'llama3.1:70b' } },
      { ...base, params: { ...base.params, temperature: 0.2 } },
      { ...base, params: { ...base.params, maxTokens: 256 } },
      { ...base, params: { ...base.params, stop: ['\n\n'] } },
      { ...base, params: { ...base.params, topP: 0.9 } },
      { ...base, params: { ...base.params, seed: 1 } },
      { ...base, messages: [{ role: 'user', content: 'Is the answer supported? So the answer is ' }] },
      { ...base, messages: [{ role: 'system', content: 'Is the answer supported? So the answer is' }] },
      { ...base, messages: [{ role: 'system', content: 'You are careful.' }, ...base.messages] },
    ];
    const keys = await Promise.all(variants.map(reasoningCacheKey));
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
  });

  it('cannot be confused by content that mimics the structure', async () => {
    const a = await reasoningCacheKey({ ...base, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] });
    const b = await reasoningCacheKey({ ...base, messages: [{ role: 'user', content: 'a"},{"role":"user","content":"b' }] });
    expect(a).not.toBe(b);
  });

  it('promptHash depends on the prompt only', async () => {
    expect(await promptHash(base.messages)).toBe(await promptHash([{ role: 'user', content: base.messages[0]!.content }]));
    expect(await promptHash(base.messages)).not.toBe(await promptHash([{ role: 'user', content: 'other' }]));
  });
});
