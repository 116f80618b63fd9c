import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoadProgress, ModelSource } from '../../../src/engine/engine.ts';
import { loadModelFiles } from '../../../src/engine/load-model.ts';
import { openModelFiles } from '../../../src/engine/sources/open.ts';

const DEMO = 'public/models/demo';

describe('load progress', () => {
  it('ends with loadedBytes equal to totalBytes, which counts the files read (generation_config.json too, not README.md)', async () => {
    const names = readdirSync(DEMO);
    expect(names).toContain('README.md');
    const source: ModelSource = { kind: 'files', label: 'demo', files: names.map((name) => ({ name, blob: new Blob([readFileSync(`${DEMO}/${name}`)]) })) };
    const progress: LoadProgress[] = [];
    await loadModelFiles(openModelFiles(source), source, { onProgress: (p) => progress.push(p) });
    const read = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'model.safetensors'];
    const readBytes = read.reduce((s, n) => s + readFileSync(`${DEMO}/${n}`).byteLength, 0);
    expect(new Set(progress.map((p) => p.totalBytes))).toEqual(new Set([readBytes]));
    expect(progress.at(-1)!.loadedBytes).toBe(readBytes);
    expect(progress.map((p) => p.loadedBytes)).toEqual([...progress.map((p) => p.loadedBytes)].sort((a, b) => a - b));
  });
});
