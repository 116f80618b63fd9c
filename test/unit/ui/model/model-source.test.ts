import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS } from '../../../../src/engine/presets.ts';
import { DEFAULT_HUB_ENDPOINT, restoreChoice, savedModelOf, sourceFromChoice, sourceKey, type HubAccess, type SourceChoice } from '../../../../src/ui/features/model/model-source.ts';

const PAGE = 'http://127.0.0.1:5173/studio/index.html';
const hub: HubAccess = { endpoint: DEFAULT_HUB_ENDPOINT, token: null };
const errorsOf = (choice: SourceChoice, access: HubAccess = hub) => {
  const result = sourceFromChoice(choice, access, PAGE);
  return result.ok ? {} : result.errors;
};

describe('model source choice', () => {
  it('the demo model is public/models/demo/ under the page’s base, as an absolute URL (the worker resolves against its own script)', () => {
    expect(sourceFromChoice({ kind: 'demo' }, hub, PAGE)).toEqual({ ok: true, source: { kind: 'url', label: 'demo model', baseUrl: 'http://127.0.0.1:5173/studio/models/demo/' } });
  });

  it('a preset is its repo and revision at the endpoint, with the stored token when there is one', () => {
    const preset = MODEL_PRESETS[0]!;
    expect(sourceFromChoice({ kind: 'preset', presetId: preset.id }, hub, PAGE)).toEqual({
      ok: true,
      source: { kind: 'hub', repo: preset.repo, revision: preset.revision, endpoint: 'https://huggingface.co' },
    });
    const mirror = { endpoint: 'http://127.0.0.1:8788/', token: ' hf_abc ' };
    expect(sourceFromChoice({ kind: 'preset', presetId: preset.id }, mirror, PAGE)).toEqual({
      ok: true,
      source: { kind: 'hub', repo: preset.repo, revision: preset.revision, endpoint: 'http://127.0.0.1:8788', token: 'hf_abc' },
    });
    expect(errorsOf({ kind: 'preset', presetId: 'gpt-5' })).toEqual({ repo: expect.stringContaining('gpt-5') as unknown });
  });

  it('a Hub repo id is owner/name (or a legacy bare name), trimmed; anything else is refused at its field', () => {
    expect(sourceFromChoice({ kind: 'hub', repo: ' Qwen/Qwen3-0.6B ', revision: ' v1.0 ' }, hub, PAGE)).toEqual({
      ok: true,
      source: { kind: 'hub', repo: 'Qwen/Qwen3-0.6B', revision: 'v1.0', endpoint: 'https://huggingface.co' },
    });
    expect(errorsOf({ kind: 'hub', repo: 'gpt2', revision: 'main' })).toEqual({});
    for (const repo of ['', 'a/b/c', 'owner/', '/name', 'owner/na me', 'owner/..', 'https://huggingface.co/owner/name']) {
      expect(errorsOf({ kind: 'hub', repo, revision: 'main' }), repo).toEqual({ repo: expect.stringMatching(/owner\/name/) as unknown });
    }
  });

  it('a revision is a branch, tag or commit: not empty, no spaces', () => {
    expect(errorsOf({ kind: 'hub', repo: 'a/b', revision: '0123abcd' })).toEqual({});
    expect(errorsOf({ kind: 'hub', repo: 'a/b', revision: '  ' })).toEqual({ revision: expect.stringMatching(/Give a revision/) as unknown });
    expect(errorsOf({ kind: 'hub', repo: 'a/b', revision: 'my branch' })).toEqual({ revision: expect.stringMatching(/no spaces/) as unknown });
  });

  it('the endpoint and token are checked as the engine checks them, every problem at once', () => {
    const errors = errorsOf({ kind: 'hub', repo: 'a/b/c', revision: '' }, { endpoint: 'https://user:pw@hub.example', token: 'hf abc' });
    expect(Object.keys(errors).sort()).toEqual(['endpoint', 'repo', 'revision', 'token']);
    expect(errors.endpoint).toMatch(/user name or password/);
    expect(errors.token).not.toContain('hf abc');
    expect(errorsOf({ kind: 'hub', repo: 'a/b', revision: 'main' }, { endpoint: 'ftp://hub.example', token: null })).toEqual({ endpoint: expect.stringMatching(/http\(s\)/) as unknown });
  });

  it('local files need at least one file', () => {
    const picked = { label: 'SmolLM2', files: [{ name: 'config.json', blob: new Blob(['{}']) }], leftOut: [] };
    expect(sourceFromChoice({ kind: 'files', picked }, hub, PAGE)).toEqual({ ok: true, source: { kind: 'files', label: 'SmolLM2', files: picked.files } });
    expect(errorsOf({ kind: 'files', picked: { label: 'x', files: [], leftOut: [] } })).toEqual({ files: expect.stringMatching(/config\.json/) as unknown });
  });

  it('a query key never holds the token, only whether there is one; local files are keyed by the list’s identity', () => {
    const base = { kind: 'hub' as const, repo: 'a/b', revision: 'main', endpoint: 'https://huggingface.co' };
    const key = sourceKey({ ...base, token: 'hf_secret' });
    expect(JSON.stringify(key)).not.toContain('hf_secret');
    expect(key).not.toEqual(sourceKey(base));
    const files = [{ name: 'config.json', blob: new Blob(['{}']) }];
    expect(sourceKey({ kind: 'files', label: 'x', files })).toEqual(sourceKey({ kind: 'files', label: 'x', files }));
    expect(sourceKey({ kind: 'files', label: 'x', files })).not.toEqual(sourceKey({ kind: 'files', label: 'x', files: [...files] }));
  });

  it('is saved in the user’s words, never with a token or files, and restored as the panel showed it', () => {
    const preset = MODEL_PRESETS[0]!;
    expect(savedModelOf({ kind: 'demo' }, 'whatever')).toEqual({ kind: 'demo' });
    expect(savedModelOf({ kind: 'preset', presetId: preset.id }, 'http://127.0.0.1:8788/')).toEqual({ kind: 'preset', presetId: preset.id, endpoint: 'http://127.0.0.1:8788' });
    const hubChoice: SourceChoice = { kind: 'hub', repo: ' owner/name ', revision: 'v1' };
    const saved = savedModelOf(hubChoice, DEFAULT_HUB_ENDPOINT);
    expect(saved).toEqual({ kind: 'hub', repo: 'owner/name', revision: 'v1', endpoint: DEFAULT_HUB_ENDPOINT });
    expect(restoreChoice(saved!)).toEqual({ choice: { kind: 'hub', repo: 'owner/name', revision: 'v1' }, endpoint: DEFAULT_HUB_ENDPOINT, mode: 'hub', filesLabel: null });
    // A choice the fields refuse is not saved (the last good one stays).
    expect(savedModelOf({ kind: 'hub', repo: 'not a repo', revision: 'main' }, DEFAULT_HUB_ENDPOINT)).toBeNull();
    expect(savedModelOf({ kind: 'hub', repo: 'a/b', revision: 'main' }, 'https://user:pw@hub.example')).toBeNull();
    // Local files: the label only; they come back as the files mode with nothing picked.
    const files = savedModelOf({ kind: 'files', picked: { label: 'my-model', files: [{ name: 'config.json', blob: new Blob(['{}']) }], leftOut: [] } }, DEFAULT_HUB_ENDPOINT);
    expect(files).toEqual({ kind: 'files', label: 'my-model' });
    expect(restoreChoice(files!)).toMatchObject({ choice: null, mode: 'files', filesLabel: 'my-model' });
  });
});
