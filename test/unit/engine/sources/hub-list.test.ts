import { describe, expect, it } from 'vitest';
import { MemoryModelFileCache } from '../../../../src/engine/sources/cache.ts';
import { openModelFiles } from '../../../../src/engine/sources/open.ts';
import { hubServerPerFile } from '../../../support/hub-server-hooks.ts';
import { shardedTinyLlamaFiles, tinyLlamaFiles } from '../../../support/hub-repos.ts';

const tiny = tinyLlamaFiles();
const sharded = shardedTinyLlamaFiles(2);
const hub = hubServerPerFile({
  repos: {
    'test/tiny-llama': { main: 'test/fixtures/tiny-llama', v1: { 'config.json': tiny['config.json'] } },
    'test/sharded': { main: sharded },
  },
});

const source = (repo: string, revision = 'main') => ({ kind: 'hub' as const, repo, revision, endpoint: hub().endpoint });

describe('Hub source: list', () => {
  it('reports the files the repo has, with their sizes, before downloading any', async () => {
    const files = await openModelFiles(source('test/tiny-llama'), { cache: null }).list();
    expect(files).toEqual([
      { name: 'config.json', size: tiny['config.json'].byteLength, cached: false },
      { name: 'model.safetensors', size: tiny['model.safetensors'].byteLength, cached: false },
    ]);
    // One HEAD per known file (absent ones answer 404) and not a single GET.
    expect(hub().requests.every((r) => r.method === 'HEAD')).toBe(true);
    expect(hub().count('tokenizer.json', { method: 'HEAD' })).toBe(1);
  });

  it('lists the shards the index names, with their sizes', async () => {
    const files = await openModelFiles(source('test/sharded'), { cache: null }).list();
    const shardNames = Object.keys(sharded).filter((n) => /^model-\d+-of-\d+\.safetensors$/.test(n));
    expect(shardNames).toHaveLength(2);
    expect(files.map((f) => f.name)).toEqual(['config.json', 'model.safetensors.index.json', ...shardNames]);
    for (const f of files) expect(f.size).toBe(sharded[f.name]!.byteLength);
    // The index is the only file read; shards are only HEADed.
    expect(hub().requests.filter((r) => r.method === 'GET').map((r) => r.file)).toEqual(['model.safetensors.index.json']);
  });

  it('lists a revision other than main, which has other files', async () => {
    const files = await openModelFiles(source('test/tiny-llama', 'v1'), { cache: null }).list();
    expect(files.map((f) => f.name)).toEqual(['config.json']);
  });

  it('does not HEAD files that are cached, and reports them as cached', async () => {
    const cache = new MemoryModelFileCache();
    const files = openModelFiles(source('test/tiny-llama'), { cache });
    expect(await files.read('model.safetensors')).toEqual(tiny['model.safetensors']);
    hub().reset();
    const listed = await files.list();
    expect(listed.find((f) => f.name === 'model.safetensors')).toEqual({ name: 'model.safetensors', size: tiny['model.safetensors'].byteLength, cached: true });
    expect(listed.find((f) => f.name === 'config.json')?.cached).toBe(false);
    expect(hub().count('model.safetensors')).toBe(0);
    expect(hub().count('config.json', { method: 'HEAD' })).toBe(1);
  });
});

describe('Hub source: LFS files on a CDN', () => {
  const cdnHub = hubServerPerFile({ repos: { 'test/tiny-llama': { main: 'test/fixtures/tiny-llama' } }, cdn: true, tokens: { 'test/tiny-llama': 'hf_cdn_token_0123456789' } });
  const cdnSource = () => ({ kind: 'hub' as const, repo: 'test/tiny-llama', revision: 'main', endpoint: cdnHub().endpoint, token: 'hf_cdn_token_0123456789' });

  it('follows the redirect for sizes and bytes, and sends the token to the endpoint only', async () => {
    const files = openModelFiles(cdnSource(), { cache: null });
    expect((await files.list()).find((f) => f.name === 'model.safetensors')?.size).toBe(tiny['model.safetensors'].byteLength);
    expect(await files.read('model.safetensors')).toEqual(tiny['model.safetensors']);
    const cdnRequests = cdnHub().requests.filter((r) => r.server === 'cdn');
    expect(cdnRequests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    // fetch drops Authorization on the redirect to another origin; the Hub itself got it on every request.
    expect(cdnRequests.every((r) => r.authorization === null)).toBe(true);
    expect(cdnHub().requests.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_cdn_token_0123456789')).toBe(true);
  });
});
