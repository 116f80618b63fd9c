import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../src/engine/errors.ts';
import { pickedModel, pickedModelFromFiles, type PickedFile } from '../../../../src/engine/sources/local-files.ts';
import { openModelFiles } from '../../../../src/engine/sources/open.ts';
import { shardedTinyLlamaFiles } from '../../../support/hub-repos.ts';

/** A File as a folder picker gives it (Node's File has no webkitRelativePath of its own). */
function picked(path: string, content: string | Uint8Array = path): PickedFile {
  const file = new File([typeof content === 'string' ? content : content.slice()], path.split('/').at(-1)!);
  return Object.defineProperty(file, 'webkitRelativePath', { value: path.includes('/') ? path : '' });
}

function refusal(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

describe('local files: naming', () => {
  it('strips the picked folder from the names and labels the model with it', () => {
    const model = pickedModelFromFiles([picked('SmolLM2/config.json'), picked('SmolLM2/model.safetensors'), picked('SmolLM2/README.md')]);
    expect(model.label).toBe('SmolLM2');
    expect(model.files.map((f) => f.name)).toEqual(['config.json', 'model.safetensors', 'README.md']);
    expect(model.leftOut).toEqual([]);
  });

  it('names dropped loose files by their names, and a dropped folder by its entries\' full paths', () => {
    expect(pickedModelFromFiles([picked('config.json'), picked('tokenizer.json')]).files.map((f) => f.name)).toEqual(['config.json', 'tokenizer.json']);
    const dropped = pickedModel([
      { path: '/model/config.json', blob: new Blob(['{}']) },
      { path: '/model/model.safetensors', blob: new Blob(['x']) },
    ]);
    expect(dropped).toMatchObject({ label: 'model', leftOut: [] });
    expect(dropped.files.map((f) => f.name)).toEqual(['config.json', 'model.safetensors']);
  });

  it('leaves out files in subfolders, and says which subfolder to pick when config.json is only there', () => {
    const model = pickedModelFromFiles([picked('run/config.json'), picked('run/.cache/huggingface/x.metadata'), picked('run/checkpoint-500/model.safetensors')]);
    expect(model.files.map((f) => f.name)).toEqual(['config.json']);
    expect(model.leftOut).toEqual(['run/.cache/huggingface/x.metadata', 'run/checkpoint-500/model.safetensors']);

    const error = refusal(() => pickedModelFromFiles([picked('run/README.md'), picked('run/checkpoint-500/config.json')]));
    expect(error).toMatchObject({ kind: 'usage', detail: { file: 'config.json' } });
    expect(error.message).toBe('There is no config.json directly in "run"; there is one in run/checkpoint-500/: pick that folder instead.');
  });

  it('refuses two files with one name, naming both', () => {
    const error = refusal(() => pickedModelFromFiles([picked('config.json'), picked('a/config.json')]));
    expect(error.message).toBe('Two files are named config.json (config.json and a/config.json): give the files of one model.');
    expect(() =>
      openModelFiles({ kind: 'files', label: 'x', files: [{ name: 'config.json', blob: new Blob([]) }, { name: 'config.json', blob: new Blob([]) }] }),
    ).toThrow(/Two files are named config\.json/);
  });

  it('refuses files from two folders', () => {
    const error = refusal(() => pickedModel([{ path: '/a/config.json', blob: new Blob([]) }, { path: '/b/model.safetensors', blob: new Blob([]) }]));
    expect(error.message).toBe('These files come from 2 folders (a, b): pick the folder of one model.');
  });
});

describe('local files: as a source', () => {
  it('lists the layout with the blobs\' sizes (shards from the index) and reads the bytes with progress', async () => {
    const sharded = shardedTinyLlamaFiles(2);
    const model = pickedModelFromFiles(Object.entries(sharded).map(([name, bytes]) => picked(`tiny/${name}`, bytes)));
    const files = openModelFiles({ kind: 'files', label: model.label, files: model.files });
    expect(await files.list()).toEqual([
      { name: 'config.json', size: sharded['config.json']!.byteLength, cached: false },
      { name: 'model.safetensors.index.json', size: sharded['model.safetensors.index.json']!.byteLength, cached: false },
      { name: 'model-00001-of-00002.safetensors', size: sharded['model-00001-of-00002.safetensors']!.byteLength, cached: false },
      { name: 'model-00002-of-00002.safetensors', size: sharded['model-00002-of-00002.safetensors']!.byteLength, cached: false },
    ]);
    const progress: number[] = [];
    const shard = await files.read('model-00002-of-00002.safetensors', { onProgress: (loaded, total) => progress.push(loaded / (total ?? Number.NaN)) });
    expect(shard).toEqual(sharded['model-00002-of-00002.safetensors']);
    expect(progress.at(-1)).toBe(1);
    expect(await files.read('tokenizer.json')).toBeNull();
  });

  it('refuses an index that names a path instead of a shard file', async () => {
    const index = JSON.stringify({ weight_map: { 'model.embed_tokens.weight': '../secrets.safetensors' } });
    const files = openModelFiles({ kind: 'files', label: 'x', files: [{ name: 'config.json', blob: new Blob(['{}']) }, { name: 'model.safetensors.index.json', blob: new Blob([index]) }] });
    await expect(files.list()).rejects.toMatchObject({ kind: 'weights', message: expect.stringMatching(/not a \.safetensors file name/) as unknown });
  });
});
