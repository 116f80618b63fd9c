import type { ModelFileInfo } from '../engine.ts';
import { EngineError } from '../errors.ts';
import { MODEL_FILE_NAMES, SHARD_INDEX_FILE } from './model-files.ts';

/** What a source knows about one file without reading it; null when it has no such file. */
export type FileProbe = { readonly size: number | null; readonly cached: boolean } | null;

/**
 * The files of the Hub's layout a source has: each of MODEL_FILE_NAMES probed (config.json first, so that a
 * source that fails, such as a gated repo, fails on one request rather than eight), then, when the shard index
 * is there, the shards it names. Every source lists its files this one way.
 */
export async function listLayout(
  probe: (name: string) => Promise<FileProbe>,
  readIndex: () => Promise<Uint8Array | null>,
): Promise<ModelFileInfo[]> {
  const [first, ...rest] = MODEL_FILE_NAMES;
  const probed = [await probe(first), ...(await Promise.all(rest.map((name) => probe(name))))];
  const files: ModelFileInfo[] = MODEL_FILE_NAMES.flatMap((name, i) => {
    const found = probed[i];
    return found ? [{ name, size: found.size, cached: found.cached }] : [];
  });
  if (!files.some((f) => f.name === SHARD_INDEX_FILE)) return files;
  const index = await readIndex();
  if (!index) return files;
  const shards = shardNames(index);
  const shardProbes = await Promise.all(shards.map((name) => probe(name)));
  shards.forEach((name, i) => {
    const found = shardProbes[i];
    if (!found) throw new EngineError('weights', `${SHARD_INDEX_FILE} names the shard ${name}, which is not there.`, { file: name });
    files.push({ name, size: found.size, cached: found.cached });
  });
  return files;
}

/**
 * The shard files model.safetensors.index.json names (weight_map's values), in order of first appearance. A shard
 * must be a plain file name ending in .safetensors: the index is data from the network and must not name a path.
 */
export function shardNames(indexBytes: Uint8Array): string[] {
  const refuse = (why: string) => new EngineError('weights', `${SHARD_INDEX_FILE} ${why}.`, { file: SHARD_INDEX_FILE });
  let index: unknown;
  try {
    index = JSON.parse(new TextDecoder().decode(indexBytes));
  } catch {
    throw refuse('is not valid JSON');
  }
  const weightMap = typeof index === 'object' && index !== null ? (index as Record<string, unknown>).weight_map : undefined;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) throw refuse('has no "weight_map" object');
  const names: string[] = [];
  for (const [tensor, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || !isShardName(shard)) throw refuse(`maps "${tensor}" to ${JSON.stringify(shard)}, which is not a .safetensors file name`);
    if (!names.includes(shard)) names.push(shard);
  }
  if (names.length === 0) throw refuse('names no shards');
  return names;
}

function isShardName(name: string): boolean {
  return /^[^/\\]+\.safetensors$/.test(name) && !name.startsWith('.');
}
