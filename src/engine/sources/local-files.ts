import type { ModelSource, NamedBlob } from '../engine.ts';
import { EngineError, throwIfCancelled } from '../errors.ts';
import { listLayout } from './layout.ts';
import { SHARD_INDEX_FILE, type ModelFiles, type ReadOptions } from './model-files.ts';

export type FilesSource = Extract<ModelSource, { kind: 'files' }>;

/** A file as a folder picker (`<input webkitdirectory>`) or a drop gives it: a File is one. */
export type PickedFile = Blob & { readonly name: string; readonly webkitRelativePath?: string };

/** What the user picked, named as on the Hub. */
export interface PickedModel {
  /** The folder's name, or the first file's when loose files were picked. */
  readonly label: string;
  readonly files: NamedBlob[];
  /** Paths in subfolders, which are not part of the model's layout (e.g. `.cache/`, `checkpoint-500/`): left out. */
  readonly leftOut: string[];
}

/** Files from a folder picker (webkitRelativePath "folder/config.json") or dropped loose files (their names). */
export function pickedModelFromFiles(files: Iterable<PickedFile>): PickedModel {
  return pickedModel([...files].map((file) => ({ path: file.webkitRelativePath || file.name, blob: file })));
}

/**
 * Files named by their path: "folder/config.json" from a picked or dropped folder (a FileSystemEntry's fullPath,
 * leading "/" allowed), or "config.json" for a loose file. The model's files are those directly in the folder;
 * files deeper down are left out, and a folder that has config.json only in a subfolder is refused with the
 * subfolder to pick instead. Two files with one name, or files from two folders, are refused: one model at a time.
 */
export function pickedModel(entries: readonly { readonly path: string; readonly blob: Blob }[]): PickedModel {
  const files: NamedBlob[] = [];
  const leftOut: string[] = [];
  const folders = new Set<string>();
  const pathsByName = new Map<string, string>();
  for (const { path, blob } of entries) {
    const segments = path.split('/').filter((s) => s !== '');
    const name = segments.at(-1);
    if (name === undefined) continue;
    if (segments.length >= 2) folders.add(segments[0]!);
    if (segments.length > 2) {
      leftOut.push(segments.join('/'));
      continue;
    }
    const earlier = pathsByName.get(name);
    if (earlier !== undefined) throw new EngineError('usage', `Two files are named ${name} (${earlier} and ${segments.join('/')}): give the files of one model.`, { file: name });
    pathsByName.set(name, segments.join('/'));
    files.push({ name, blob });
  }
  if (folders.size > 1) throw new EngineError('usage', `These files come from ${folders.size} folders (${[...folders].sort().join(', ')}): pick the folder of one model.`);
  const folder = [...folders][0];
  if (!files.some((f) => f.name === 'config.json')) {
    const nested = leftOut.find((path) => path.endsWith('/config.json'));
    if (nested) {
      const where = nested.slice(0, -'/config.json'.length);
      throw new EngineError('usage', `There is no config.json directly in "${folder ?? ''}"; there is one in ${where}/: pick that folder instead.`, { file: 'config.json' });
    }
  }
  return { label: folder ?? files[0]?.name ?? 'local files', files, leftOut };
}

/** Local files (pickedModel's, or files on disk in Node) as the Hub's layout; sizes are the blobs' sizes. */
export function openLocalFiles(source: FilesSource): ModelFiles {
  const byName = new Map<string, Blob>();
  for (const { name, blob } of source.files) {
    if (byName.has(name)) throw new EngineError('usage', `Two files are named ${name}: give the files of one model.`, { file: name });
    byName.set(name, blob);
  }
  const read = async (name: string, options: ReadOptions = {}) => {
    const blob = byName.get(name);
    return blob ? await readBlob(name, blob, options.signal, options.onProgress) : null;
  };
  return {
    label: source.label,
    list: () =>
      listLayout(
        (name) => {
          const blob = byName.get(name);
          return Promise.resolve(blob ? { size: blob.size, cached: false } : null);
        },
        () => read(SHARD_INDEX_FILE),
      ),
    read,
  };
}

/** A blob's bytes, streamed for progress; a file that changed or vanished since it was picked is an error naming it. */
async function readBlob(name: string, blob: Blob, signal: AbortSignal | undefined, onProgress: ReadOptions['onProgress']): Promise<Uint8Array> {
  const bytes = new Uint8Array(blob.size);
  let loaded = 0;
  try {
    const reader = blob.stream().getReader();
    for (;;) {
      if (signal?.aborted) await reader.cancel();
      throwIfCancelled(signal);
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.byteLength > bytes.byteLength) throw new Error('grew');
      bytes.set(value, loaded);
      loaded += value.byteLength;
      onProgress?.(loaded, bytes.byteLength, false);
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    loaded = -1;
  }
  if (loaded !== bytes.byteLength) throw new EngineError('usage', `Could not read ${name}: was it changed or moved since it was picked? Pick the folder again.`, { file: name });
  return bytes;
}
