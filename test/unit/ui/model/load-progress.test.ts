import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../../../src/engine/engine.ts';
import { EMPTY_LOAD, loadFraction, reduceLoad } from '../../../../src/ui/lib/load-progress.ts';
import { formatBytes } from '../../../../src/fiat/dataset/read.ts';

const event = (file: string, loadedBytes: number, totalBytes: number | null, fromCache = false, phase: LoadProgress['phase'] = 'download'): LoadProgress => ({
  phase,
  file,
  loadedBytes,
  totalBytes,
  fromCache,
});

describe('load progress', () => {
  it('splits the load’s cumulative bytes into each file’s, in the order read, with whether it came from the cache', () => {
    const events = [
      event('config.json', 100, 1100, true),
      event('tokenizer.json', 150, 1100),
      event('tokenizer.json', 300, 1100),
      event('model.safetensors', 700, 1100, false, 'weights'),
      event('model.safetensors', 1100, 1100, false, 'weights'),
    ];
    const view = events.reduce(reduceLoad, EMPTY_LOAD);
    expect(view.loadedBytes).toBe(1100);
    expect(view.files.map(({ file, bytes, fromCache, phase }) => ({ file, bytes, fromCache, phase }))).toEqual([
      { file: 'config.json', bytes: 100, fromCache: true, phase: 'download' },
      { file: 'tokenizer.json', bytes: 200, fromCache: false, phase: 'download' },
      { file: 'model.safetensors', bytes: 800, fromCache: false, phase: 'weights' },
    ]);
    expect(loadFraction(view)).toBe(1);
  });

  it('the total may be unknown at first (a shard index is read before it is known): the bar is indeterminate until then', () => {
    const first = reduceLoad(EMPTY_LOAD, event('model.safetensors.index.json', 50, null));
    expect(loadFraction(first)).toBeNull();
    const next = reduceLoad(first, event('config.json', 60, 200));
    expect(next.totalBytes).toBe(200);
    expect(loadFraction(next)).toBeCloseTo(0.3);
    // A later event without a total keeps the known one.
    expect(reduceLoad(next, event('config.json', 70, null)).totalBytes).toBe(200);
  });

  it('sizes read in B, KiB, MiB and GiB', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(269e6), formatBytes(1503e6)]).toEqual(['512 B', '2.0 KiB', '256.5 MiB', '1.40 GiB']);
  });
});
