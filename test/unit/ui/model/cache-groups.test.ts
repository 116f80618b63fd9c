import { describe, expect, it } from 'vitest';
import { cachedModelName, groupCachedFiles, withoutCachedFiles } from '../../../../src/ui/features/model/cache-groups.ts';

const HF = 'https://huggingface.co';
const file = (repo: string, revision: string, name: string, bytes: number, endpoint = HF) => ({ endpoint, repo, revision, file: name, bytes });

describe('cached models', () => {
  it('groups files by endpoint, repo and revision with their total bytes, sorted by repo then revision', () => {
    const groups = groupCachedFiles([
      file('b/model', 'main', 'config.json', 10),
      file('a/model', 'main', 'config.json', 1),
      file('a/model', 'main', 'model.safetensors', 1000),
      file('a/model', 'v2', 'config.json', 2),
      file('a/model', 'main', 'config.json', 5, 'http://127.0.0.1:8788'),
    ]);
    expect(groups).toEqual([
      { endpoint: 'http://127.0.0.1:8788', repo: 'a/model', revision: 'main', files: 1, bytes: 5 },
      { endpoint: HF, repo: 'a/model', revision: 'main', files: 2, bytes: 1001 },
      { endpoint: HF, repo: 'a/model', revision: 'v2', files: 1, bytes: 2 },
      { endpoint: HF, repo: 'b/model', revision: 'main', files: 1, bytes: 10 },
    ]);
    expect(groupCachedFiles([])).toEqual([]);
  });

  it('names a model repo@revision, with the endpoint when it is not the Hub’s own', () => {
    expect(cachedModelName({ endpoint: HF, repo: 'a/b', revision: 'main', files: 1, bytes: 1 }, HF)).toBe('a/b@main');
    expect(cachedModelName({ endpoint: 'http://mirror', repo: 'a/b', revision: 'v1', files: 1, bytes: 1 }, HF)).toBe('a/b@v1 (http://mirror)');
  });

  it('an inspection without its cached files has everything to download', () => {
    const inspection = {
      label: 'a/b',
      files: [
        { name: 'config.json', size: 10, cached: true },
        { name: 'model.safetensors', size: 90, cached: false },
      ],
      totalBytes: 100,
      toDownloadBytes: 90,
      config: {},
    };
    expect(withoutCachedFiles(inspection)).toEqual({ ...inspection, files: inspection.files.map((f) => ({ ...f, cached: false })), toDownloadBytes: 100 });
  });
});
