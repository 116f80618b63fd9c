import { loadBaseWeights, type BaseWeights } from '../models/base-weights.ts';
import { parseModelConfig, parseModelConfigText, type ModelConfig } from '../models/config.ts';
import { randomBaseWeights } from '../models/init.ts';
import { readSafetensors, type SafetensorsFile } from '../models/safetensors.ts';
import type { LoadOptions, LoadProgress, ModelInfo, ModelSource, WeightDtype } from './engine.ts';
import { EngineError, throwIfCancelled } from './errors.ts';
import type { AdapterBase } from './peft-adapter.ts';
import type { ModelFiles } from './sources/model-files.ts';
import { createTokenizer, type ModelTokenizer } from './tokenizer.ts';

/** A model in memory: what the engine trains and tokenizes with. */
export interface LoadedModel {
  readonly info: ModelInfo;
  readonly config: ModelConfig;
  /** float32 by checkpoint name. */
  readonly weights: BaseWeights;
  readonly tokenizer: ModelTokenizer | null;
  /** What an exported adapter names as its base. */
  readonly base: AdapterBase;
  /** generation_config.json (read with the model, for generation); null when absent. */
  readonly generationConfig: Record<string, unknown> | null;
  /** config.json as read (a full-weight run's tuned model is exported with it, model-export.ts). */
  readonly configJson: string;
}

/**
 * safetensors metadata key the demo model's generator (scripts/make-demo-model.ts) sets: its weights are random, and
 * the studio says so.
 */
export const RANDOM_WEIGHTS_METADATA = 'fiat-studio.random-weights';

const INDEX = 'model.safetensors.index.json';
const decoder = new TextDecoder();

/**
 * Reads a model from its files in the Hub's layout: config.json, tokenizer.json (+ tokenizer_config.json,
 * chat_template.jinja), and model.safetensors or the shards model.safetensors.index.json names. Nothing is kept
 * unless everything read and checked: a missing file, a malformed one or a checkpoint that does not fit the config
 * is an EngineError naming the file, and the caller's loaded model stays.
 */
export async function loadModelFiles(
  files: ModelFiles,
  source: Exclude<ModelSource, { kind: 'random' }>,
  options: LoadOptions = {},
): Promise<LoadedModel> {
  const { signal, onProgress } = options;
  const present = new Map((await files.list({ signal })).map((f) => [f.name, f]));
  const need = (name: string, kind: 'config' | 'tokenizer' | 'weights', why: string) => {
    if (!present.has(name)) throw new EngineError(kind, `${files.label} has no ${name} (${why})`, { file: name });
  };
  need('config.json', 'config', 'every model needs its config');
  if (options.requireTokenizer ?? true) need('tokenizer.json', 'tokenizer', 'the studio tokenizes with the model’s own tokenizer');

  // The files read below, and only those (the tokenizer's only with tokenizer.json), so that the progress's
  // loadedBytes ends at its totalBytes.
  const tokenizerFiles = present.has('tokenizer.json') ? ['tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja'] : [];
  const small = ['config.json', ...tokenizerFiles, 'generation_config.json'].filter((n) => present.has(n));
  let loadedBefore = 0;
  const known = (names: readonly string[]) => names.every((n) => present.get(n)?.size != null);
  const total = (names: readonly string[]) => names.reduce((s, n) => s + (present.get(n)?.size ?? 0), 0);
  let totalBytes: number | null = null;
  const read = async (name: string, phase: LoadProgress['phase']): Promise<Uint8Array> => {
    throwIfCancelled(signal);
    const bytes = await files.read(name, {
      ...(signal ? { signal } : {}),
      onProgress: (loaded, _total, fromCache) => onProgress?.({ phase, file: name, loadedBytes: loadedBefore + loaded, totalBytes, fromCache }),
    });
    if (bytes === null) throw new EngineError(phase === 'weights' ? 'weights' : 'config', `${files.label}: ${name} is listed but could not be read`, { file: name });
    loadedBefore += bytes.byteLength;
    return bytes;
  };

  // The shard names come from the index, so it is read before the total is known.
  let shards: string[];
  if (present.has('model.safetensors')) shards = ['model.safetensors'];
  else if (present.has(INDEX)) shards = shardNames(await read(INDEX, 'download'), files.label);
  else throw new EngineError('weights', `${files.label} has no model.safetensors or ${INDEX} (only safetensors checkpoints are supported)`, { file: 'model.safetensors' });
  for (const shard of shards) need(shard, 'weights', `${INDEX} names it`);
  const all = [...small, ...(shards[0] === 'model.safetensors' ? [] : [INDEX]), ...shards];
  totalBytes = known(all) ? total(all) : null;

  const text = async (name: string) => (present.has(name) ? decoder.decode(await read(name, name.startsWith('token') || name === 'chat_template.jinja' ? 'tokenizer' : 'download')) : null);
  const configJson = (await text('config.json'))!;
  const config = parseModelConfigText(configJson, `${files.label}/config.json`);
  const tokenizerJson = await text('tokenizer.json');
  const tokenizer =
    tokenizerJson === null
      ? null
      : createTokenizer({ tokenizerJson, tokenizerConfig: await text('tokenizer_config.json'), chatTemplate: await text('chat_template.jinja') });
  // generation_config.json is read with the model (generation's defaults), so it is in the totals and the cache.
  const generationConfig = parseGenerationConfig(await text('generation_config.json'), files.label);
  const checkpoint: { name: string; file: SafetensorsFile }[] = [];
  for (const shard of shards) checkpoint.push({ name: shard, file: readSafetensors(await read(shard, 'weights'), shard) });
  throwIfCancelled(signal);
  const { weights } = loadBaseWeights(config, checkpoint);
  const first = checkpoint[0]!.file;
  const firstTensor = first.tensors.values().next().value;
  const weightDtype: WeightDtype = firstTensor?.dtype === 'F16' || firstTensor?.dtype === 'BF16' ? firstTensor.dtype : 'F32';
  const randomWeights = first.metadata[RANDOM_WEIGHTS_METADATA] !== undefined;
  const base: AdapterBase = source.kind === 'hub' ? { name: source.repo, revision: source.revision } : { name: source.label, revision: null };
  const info = describeModel(config, weights, tokenizer, {
    label: source.kind === 'hub' ? `${source.repo}@${source.revision}` : source.label,
    source: source.kind,
    base,
    weightDtype,
    weightBytes: checkpoint.reduce((s, c) => s + c.file.dataByteLength, 0),
    randomWeights,
  });
  return { info, config, weights, tokenizer, base, generationConfig, configJson };
}

/** generation_config.json's object (generation's defaults: EOS ids, sampling), or null when the model has none. */
function parseGenerationConfig(text: string | null, label: string): Record<string, unknown> | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EngineError('config', `${label}/generation_config.json is not JSON (${error instanceof Error ? error.message : String(error)})`, { file: 'generation_config.json' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EngineError('config', `${label}/generation_config.json must be a JSON object`, { file: 'generation_config.json' });
  }
  return value as Record<string, unknown>;
}

/** A config with seeded random weights (HF's init) and no tokenizer: benchmarks and tests. */
export function loadRandomModel(source: Extract<ModelSource, { kind: 'random' }>): LoadedModel {
  const config = parseModelConfig(source.config, `${source.label}/config.json`);
  const weights = randomBaseWeights(config, source.seed);
  const base: AdapterBase = { name: source.label, revision: null };
  const info = describeModel(config, weights, null, { label: source.label, source: 'random', base, weightDtype: 'random', weightBytes: 0, randomWeights: true });
  return { info, config, weights, tokenizer: null, base, generationConfig: null, configJson: JSON.stringify(source.config, null, 2) };
}

function shardNames(bytes: Uint8Array, label: string): string[] {
  let index: unknown;
  try {
    index = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new EngineError('weights', `${label}/${INDEX}: not JSON (${error instanceof Error ? error.message : String(error)})`, { file: INDEX });
  }
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Object.values(map).some((v) => typeof v !== 'string')) {
    throw new EngineError('weights', `${label}/${INDEX}: "weight_map" must map tensor names to shard file names`, { file: INDEX });
  }
  const names = [...new Set(Object.values(map as Record<string, string>))];
  if (names.length === 0) throw new EngineError('weights', `${label}/${INDEX}: "weight_map" is empty`, { file: INDEX });
  return names.sort();
}

function describeModel(
  config: ModelConfig,
  weights: BaseWeights,
  tokenizer: ModelTokenizer | null,
  facts: Pick<ModelInfo, 'label' | 'source' | 'base' | 'weightDtype' | 'weightBytes' | 'randomWeights'>,
): ModelInfo {
  let parameters = 0;
  for (const w of weights.values()) parameters += w.length;
  const eos = config.eosTokenIds.length > 0 ? config.eosTokenIds : tokenizer?.eosTokenId != null ? [tokenizer.eosTokenId] : [];
  return {
    ...facts,
    architecture: config.architecture,
    parameters,
    hiddenSize: config.hiddenSize,
    layers: config.numHiddenLayers,
    contextLength: config.maxPositionEmbeddings,
    vocabSize: config.vocabSize,
    hasTokenizer: tokenizer !== null,
    hasChatTemplate: tokenizer?.hasChatTemplate ?? false,
    eosTokenIds: eos,
    padTokenId: config.padTokenId ?? tokenizer?.padTokenId ?? null,
  };
}
