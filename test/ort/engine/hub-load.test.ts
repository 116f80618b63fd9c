// The in-thread engine on a Hub model (the demo model on the local Hub test server): sizes before download, progress,
// the cache (a second engine loads with zero requests), listing and clearing it, and a failed load that keeps the
// model loaded before it.
import { expect, test } from 'vitest';
import type { LoadProgress, ModelSource } from '../../../src/engine/engine.ts';
import { InThreadEngine } from '../../../src/engine/in-thread.ts';
import { nodeBackends } from '../../../src/engine/node/engine-node.ts';
import { MemoryModelFileCache } from '../../../src/engine/sources/cache.ts';
import { hubServerPerFile } from '../../support/hub-server-hooks.ts';

const hub = hubServerPerFile({ repos: { 'fiat-studio/demo': { main: 'public/models/demo' } } });
const source = (): Extract<ModelSource, { kind: 'hub' }> => ({ kind: 'hub', repo: 'fiat-studio/demo', revision: 'main', endpoint: hub().endpoint });

test('inspect says how much before download; load streams with progress; a second engine loads from the cache with no request', async () => {
  const cache = new MemoryModelFileCache();
  const engine = new InThreadEngine({ backends: nodeBackends({ threads: 1 }), cache });
  try {
    const before = await engine.inspect(source());
    const weights = before.files.find((f) => f.name === 'model.safetensors')!;
    expect(weights.size).toBeGreaterThan(600_000);
    expect(before.toDownloadBytes).toBe(before.totalBytes);
    expect(before.config).toMatchObject({ architectures: ['LlamaForCausalLM'] });
    expect(hub().count('model.safetensors', { method: 'GET' })).toBe(0);

    const progress: LoadProgress[] = [];
    const info = await engine.load(source(), { onProgress: (p) => progress.push(p) });
    expect(info).toMatchObject({ label: 'fiat-studio/demo@main', source: 'hub', base: { name: 'fiat-studio/demo', revision: 'main' }, weightDtype: 'BF16', randomWeights: true, hasChatTemplate: true });
    const last = progress.at(-1)!;
    expect(last.loadedBytes).toBe(last.totalBytes);
    expect(progress.some((p) => p.file === 'model.safetensors' && p.phase === 'weights')).toBe(true);
    expect(progress.every((p, i) => i === 0 || p.loadedBytes >= progress[i - 1]!.loadedBytes)).toBe(true);
    expect((await engine.inspect(source())).toDownloadBytes).toBe(0);

    hub().reset();
    const second = new InThreadEngine({ backends: nodeBackends({ threads: 1 }), cache });
    await second.load(source());
    expect(await second.tokenize('Helsinki')).toEqual(await engine.tokenize('Helsinki'));
    expect(hub().requests).toHaveLength(0);
    await second.dispose();

    const cached = await engine.listCache();
    expect(cached.map((f) => f.file).sort()).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json']));
    expect(await engine.clearCache({ repo: 'fiat-studio/demo' })).toBe(cached.length);
    expect(await engine.listCache()).toEqual([]);
  } finally {
    await engine.dispose();
  }
});

test('a repo that is not there is a network error naming it, and the loaded model stays', async () => {
  const engine = new InThreadEngine({ backends: nodeBackends({ threads: 1 }), cache: null });
  try {
    await engine.load(source());
    const error = await engine.load({ ...source(), repo: 'fiat-studio/missing' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', message: expect.stringContaining('fiat-studio/missing') as unknown });
    hub().fault('model.safetensors', { kind: 'status', status: 403, times: 10 });
    await expect(engine.load({ ...source(), revision: 'main' })).rejects.toMatchObject({ kind: 'network' });
    expect((await engine.describe()).label).toBe('fiat-studio/demo@main');
  } finally {
    await engine.dispose();
  }
});
