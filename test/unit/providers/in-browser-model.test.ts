import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReasoningSettingsSchema, defaultReasoningSettings } from '../../../src/fiat/project/reasoning-settings.ts';
import { DEMO_MODEL_VERSION, formatInBrowserModel, parseInBrowserModel } from '../../../src/providers/in-browser-model.ts';
import { defaultProviderSettings, parseProviderSettings } from '../../../src/providers/settings.ts';

describe('the in-browser model in settings', () => {
  it('is the demo model or a Hub repo at a revision', () => {
    expect(parseInBrowserModel(' fiat-studio/demo ')).toEqual({ ok: true, ref: { kind: 'demo' } });
    expect(parseInBrowserModel('HuggingFaceTB/SmolLM2-360M-Instruct@main')).toEqual({ ok: true, ref: { kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-360M-Instruct', revision: 'main' } });
    expect(parseInBrowserModel('Qwen/Qwen2.5-0.5B-Instruct@refs/pr/1')).toEqual({ ok: true, ref: { kind: 'hub', repo: 'Qwen/Qwen2.5-0.5B-Instruct', revision: 'refs/pr/1' } });
    for (const model of ['fiat-studio/demo', 'a/b@c0ffee']) {
      const parsed = parseInBrowserModel(model);
      expect(parsed.ok && formatInBrowserModel(parsed.ref)).toBe(model);
    }
  });

  it('says what to write otherwise', () => {
    expect(parseInBrowserModel('SmolLM2')).toEqual({ ok: false, message: expect.stringMatching(/owner\/name@revision/) as unknown });
    expect(parseInBrowserModel('HuggingFaceTB/SmolLM2-360M-Instruct')).toEqual({ ok: false, message: expect.stringMatching(/revision .* after an @/) as unknown });
    expect(parseInBrowserModel('a/b@has space')).toMatchObject({ ok: false });
  });

  it('is checked where settings are parsed and where a project is read, naming the field', () => {
    const settings = defaultProviderSettings({ id: 'p', presetId: 'in-browser', baseUrl: 'https://huggingface.co', model: 'SmolLM2' });
    expect(parseProviderSettings(settings)).toEqual({ ok: false, message: expect.stringMatching(/^model: expected fiat-studio\/demo/) as unknown });
    expect(parseProviderSettings({ ...settings, model: 'fiat-studio/demo' }).ok).toBe(true);
    // Another preset's model is the server's business.
    expect(parseProviderSettings({ ...settings, presetId: 'custom' }).ok).toBe(true);
    const project = (model: string) => ReasoningSettingsSchema.safeParse({ ...defaultReasoningSettings(), provider: { ...settings, model } });
    expect(project('fiat-studio/demo').success).toBe(true);
    expect(project('SmolLM2').error?.issues.map((i) => i.path.join('.'))).toEqual(['provider.model']);
  });
});

describe('DEMO_MODEL_VERSION', () => {
  it('is the hash of the demo model files the studio ships (update it when scripts/make-demo-model.ts changes them)', () => {
    const files = ['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];
    const lines = files.map((file) => `${file} ${createHash('sha256').update(readFileSync(`public/models/demo/${file}`)).digest('hex')}\n`).join('');
    expect(DEMO_MODEL_VERSION).toBe(createHash('sha256').update(lines).digest('hex').slice(0, 12));
  });
});
