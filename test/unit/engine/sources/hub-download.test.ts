import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../src/engine/errors.ts';
import { listCachedFiles, MemoryModelFileCache } from '../../../../src/engine/sources/cache.ts';
import { openModelFiles } from '../../../../src/engine/sources/open.ts';
import type { SourceDeps } from '../../../../src/engine/sources/model-files.ts';
import { hubServerPerFile } from '../../../support/hub-server-hooks.ts';
import { tinyLlamaFiles } from '../../../support/hub-repos.ts';

const tiny = tinyLlamaFiles();
const weights = tiny['model.safetensors'];
const hub = hubServerPerFile({ repos: { 'test/tiny-llama': { main: 'test/fixtures/tiny-llama' } } });

/**
 * Quick retries. The stall limit is long enough that a busy machine does not make one; the stall test shortens it
 * (its server sends nothing at all, so any limit is reached).
 */
const fast: SourceDeps = { retryDelayMs: 1, stallMs: 5_000, retries: 2 };
const open = (deps: SourceDeps = {}) => openModelFiles({ kind: 'hub', repo: 'test/tiny-llama', revision: 'main', endpoint: hub().endpoint }, { cache: null, ...fast, ...deps });

async function readWithProgress(deps: SourceDeps = {}) {
  const progress: { loaded: number; total: number | null; fromCache: boolean }[] = [];
  const bytes = await open(deps).read('model.safetensors', { onProgress: (loaded, total, fromCache) => progress.push({ loaded, total, fromCache }) });
  return { bytes, progress };
}

describe('Hub source: downloads', () => {
  it('streams a file with progress up to its size', async () => {
    const { bytes, progress } = await readWithProgress();
    expect(bytes).toEqual(weights);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.total === weights.byteLength && !p.fromCache)).toBe(true);
    expect(progress.map((p) => p.loaded)).toEqual([...progress.map((p) => p.loaded)].sort((a, b) => a - b));
    expect(progress.at(-1)?.loaded).toBe(weights.byteLength);
  });

  it('resumes a dropped download with a Range request, and the bytes are the file', async () => {
    hub().fault('model.safetensors', { kind: 'drop', afterBytes: 10_000 });
    const { bytes, progress } = await readWithProgress();
    expect(bytes).toEqual(weights);
    const gets = hub().requests.filter((r) => r.file === 'model.safetensors' && r.method === 'GET');
    expect(gets[0]).toMatchObject({ range: null, status: 200 });
    expect(gets.length).toBeGreaterThanOrEqual(2);
    // The resume starts where the received bytes end: after some of the 10,000 sent, never past them.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(10_000);
    expect(gets[1]?.status).toBe(206);
    // Progress did not start over.
    expect(progress.map((p) => p.loaded)).toEqual([...progress.map((p) => p.loaded)].sort((a, b) => a - b));
  });

  it('resumes a stalled download', async () => {
    hub().fault('model.safetensors', { kind: 'stall', afterBytes: 20_000 });
    const { bytes } = await readWithProgress({ stallMs: 500 });
    expect(bytes).toEqual(weights);
    const ranges = hub().requests.filter((r) => r.file === 'model.safetensors').map((r) => r.range);
    expect(ranges[0]).toBeNull();
    expect(ranges[1]).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it('asks again when a server accepts the request and never answers (a HEAD or a GET)', async () => {
    hub().fault('config.json', { kind: 'hang', method: 'HEAD' });
    hub().fault('model.safetensors', { kind: 'hang', method: 'GET' });
    const files = open({ stallMs: 500 });
    expect((await files.list()).map((f) => f.name)).toEqual(['config.json', 'model.safetensors']);
    expect(await files.read('model.safetensors')).toEqual(weights);
    expect(hub().count('config.json', { method: 'HEAD' })).toBe(2);
    expect(hub().count('model.safetensors', { method: 'GET' })).toBe(2);
  });

  it('asks again after a 5xx, and gives up with the status after the retries', async () => {
    hub().fault('model.safetensors', { kind: 'status', status: 503, times: 2 });
    expect((await readWithProgress()).bytes).toEqual(weights);
    expect(hub().count('model.safetensors')).toBe(3);

    hub().reset();
    hub().fault('model.safetensors', { kind: 'status', status: 500, times: 3 });
    const error = await open().read('model.safetensors').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ kind: 'network', detail: { status: 500, file: 'model.safetensors' } });
    expect((error as Error).message).toMatch(/answered 500 for model\.safetensors of "test\/tiny-llama" 3 times/);
    expect(hub().count('model.safetensors')).toBe(3);
  });

  it('waits as a 429\'s Retry-After says, not its own backoff', async () => {
    hub().fault('model.safetensors', { kind: 'status', status: 429, retryAfter: '0', method: 'GET' });
    // A backoff of a minute would outlast the test: only Retry-After's 0 s lets it finish.
    expect(await open({ retryDelayMs: 60_000 }).read('model.safetensors')).toEqual(weights);
    expect(hub().requests.filter((r) => r.file === 'model.safetensors').map((r) => r.status)).toEqual([429, 200]);
  });

  it('never caches or returns half a file', async () => {
    const cache = new MemoryModelFileCache();
    hub().fault('model.safetensors', { kind: 'drop', afterBytes: 5_000 }, { kind: 'drop', afterBytes: 0 }, { kind: 'drop', afterBytes: 0 });
    const error = await open({ cache, retries: 1 })
      .read('model.safetensors')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', detail: { file: 'model.safetensors' } });
    expect((error as Error).message).toMatch(/model\.safetensors of "test\/tiny-llama" was cut off 2 times in a row/);
    expect(await listCachedFiles(cache)).toEqual([]);
  });

  it('is cancelled by its signal, with nothing cached', async () => {
    const cache = new MemoryModelFileCache();
    const controller = new AbortController();
    hub().fault('model.safetensors', { kind: 'stall', afterBytes: 1_000 });
    const reading = open({ cache, stallMs: 60_000 }).read('model.safetensors', {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(reading).rejects.toMatchObject({ kind: 'cancelled' });
    expect(await listCachedFiles(cache)).toEqual([]);
  });

  it('returns null for a file the repo does not have', async () => {
    expect(await open().read('tokenizer.json')).toBeNull();
  });
});
