import type { ModelFileInfo } from '../engine.ts';
import { EngineError, type EngineErrorKind } from '../errors.ts';
import type { ModelFileCache } from './cache.ts';

/**
 * One model's files, wherever they come from (the Hub, local files, static files under a URL): the layer the
 * engine reads config, tokenizer and weights through. Opened by `openModelFiles` (open.ts).
 */
export interface ModelFiles {
  readonly label: string;
  /**
   * The model files present (the names of MODEL_FILE_NAMES the source has, then the shards the index names), with
   * sizes known before download and whether each is cached. Downloads nothing large: the Hub answers HEADs (none
   * for a cached file) and the small shard index.
   */
  list(options?: { signal?: AbortSignal }): Promise<ModelFileInfo[]>;
  /**
   * A file's bytes, or null when the source has no such file (404 / absent). Never half a file: a download that
   * stopped is resumed or fails. `onProgress` is called per chunk; `totalBytes` is null when nobody says the size.
   */
  read(name: string, options?: ReadOptions): Promise<Uint8Array | null>;
}

export interface ReadOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (loadedBytes: number, totalBytes: number | null, fromCache: boolean) => void;
}

export interface SourceDeps {
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** The model file cache of Hub sources; default Cache Storage where there is one (a page, a worker), else none. null: none. */
  cache?: ModelFileCache | null;
  /** A download that receives nothing for this long is cut and resumed. Default 30 s. */
  stallMs?: number;
  /** Failed attempts in a row (no new bytes between them) before a download or HEAD gives up. Default 4. */
  retries?: number;
  /** The first retry's delay; it doubles with each failure in a row. Default 500 ms. */
  retryDelayMs?: number;
}

/** The files a model may have, in the order `list()` reports them; shards follow, in the index's order. */
export const MODEL_FILE_NAMES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'chat_template.jinja',
  'special_tokens_map.json',
  'model.safetensors',
  'model.safetensors.index.json',
] as const;

export const SHARD_INDEX_FILE = 'model.safetensors.index.json';

/**
 * A file the model cannot do without: its bytes, or an EngineError naming the file when the source has none. The
 * kind says what the file is for ('config' for config.json, 'tokenizer', 'weights' for a shard); a missing file
 * of a Hub repo is a 404, hence 'network' by default.
 */
export async function readRequired(files: ModelFiles, name: string, options: ReadOptions & { kind?: EngineErrorKind } = {}): Promise<Uint8Array> {
  const bytes = await files.read(name, options);
  if (bytes) return bytes;
  throw new EngineError(options.kind ?? 'network', `"${files.label}" has no ${name}, which the model needs.`, { file: name });
}
