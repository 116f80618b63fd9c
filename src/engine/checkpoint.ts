import type { StateData } from '../models/artifacts.ts';
import { ADAPTER_INPUT } from '../models/causal-lm.ts';
import type { ModelConfig } from '../models/config.ts';
import { adapterLayout } from '../models/inference.ts';
import { parseLoraSpec } from '../models/lora.ts';
import { ALL_WEIGHTS, isAllWeights, type TrainedSpec } from '../models/trained-weights.ts';
import { unpackAdapter } from '../models/manifest.ts';
import { readSafetensors, SafetensorsError, writeSafetensors, type TensorToWrite } from '../models/safetensors.ts';
import type { TrainingCheckpoint } from './engine.ts';
import { EngineError } from './errors.ts';

/**
 * A training checkpoint as bytes: the train step's state tensors (the packed adapter and its AdamW moments, by input
 * name) in safetensors, with metadata saying which run they belong to. The step count is in the metadata too, so the
 * bytes alone (stored in OPFS or IndexedDB by the studio) are a complete checkpoint.
 */
const FORMAT = 'fiat-studio.training-checkpoint';

export interface CheckpointIdentity {
  /** The model the run tunes (its label: repo@revision, or a folder's name) and its config's shape. */
  readonly model: string;
  /** What the run trains: a LoRA adapter, or every weight. */
  readonly lora: TrainedSpec;
}

function loraKey(lora: TrainedSpec): string {
  return isAllWeights(lora) ? JSON.stringify(ALL_WEIGHTS) : JSON.stringify({ r: lora.r, alpha: lora.alpha, targets: lora.targets });
}

/** The trained spec a checkpoint's metadata names (its `lora` entry). */
function parseTrainedKey(text: string | undefined): TrainedSpec {
  const json: unknown = JSON.parse(text ?? 'null');
  if (typeof json === 'object' && json !== null && 'allWeights' in json && json.allWeights === true) return ALL_WEIGHTS;
  return parseLoraSpec(json, "the checkpoint's LoRA settings");
}

export function writeCheckpoint(state: ReadonlyMap<string, StateData>, step: number, identity: CheckpointIdentity): TrainingCheckpoint {
  const tensors: Record<string, TensorToWrite> = {};
  for (const [name, data] of state) tensors[name] = { dtype: 'F32', shape: [data.length], data: data instanceof Float32Array ? data : Float32Array.from(data) };
  return { step, state: writeSafetensors(tensors, { format: FORMAT, step: String(step), model: identity.model, lora: loraKey(identity.lora) }) };
}

/** The state tensors of a checkpoint for this run; an EngineError ('config') names what does not match. */
export function readCheckpoint(checkpoint: TrainingCheckpoint, identity: CheckpointIdentity, expected: ReadonlyMap<string, number>): Map<string, Float32Array> {
  let file: ReturnType<typeof readSafetensors>;
  try {
    file = readSafetensors(checkpoint.state, 'checkpoint');
  } catch (error) {
    if (error instanceof SafetensorsError) throw new EngineError('config', `the checkpoint is not readable: ${error.message}`);
    throw error;
  }
  const meta = file.metadata;
  if (meta['format'] !== FORMAT) throw new EngineError('config', 'these bytes are not a fiat-studio training checkpoint');
  if (meta['step'] !== String(checkpoint.step)) throw new EngineError('config', `the checkpoint says step ${meta['step'] ?? '?'}, not ${checkpoint.step}`);
  if (meta['model'] !== identity.model) throw new EngineError('config', `the checkpoint is of a run on ${meta['model'] ?? 'another model'}, not ${identity.model}`);
  if (meta['lora'] !== loraKey(identity.lora)) throw new EngineError('config', `the checkpoint's LoRA settings ${describeKey(meta['lora'])} differ from this setup's ${describeKey(loraKey(identity.lora))}`);
  const out = new Map<string, Float32Array>();
  for (const [name, length] of expected) {
    if (!file.tensors.has(name)) throw new EngineError('config', `the checkpoint has no ${name}`);
    const data = file.float32(name);
    if (data.length !== length) throw new EngineError('config', `the checkpoint's ${name} has ${data.length} values, this setup needs ${length}`);
    out.set(name, data);
  }
  return out;
}

/**
 * The trained tensors a checkpoint holds (a LoRA adapter, or every weight of a full-weight run), for inference with a run's saved state without preparing its training (a run
 * reopened after a reload): its LoRA settings (or all weights) read from the metadata, its packed vector unpacked by
 * PEFT name, or checkpoint name for all weights (the train step packs trainedParameters' order, as the inference
 * graphs do). The checkpoint must be of `model` (the loaded
 * model's label) and its adapter of this config's shapes; an EngineError ('config') says what does not match.
 */
export function checkpointAdapter(checkpoint: TrainingCheckpoint, config: ModelConfig, model: string): { spec: TrainedSpec; tensors: Map<string, Float32Array> } {
  let metadata: Record<string, string>;
  try {
    metadata = readSafetensors(checkpoint.state, 'checkpoint').metadata;
  } catch (error) {
    if (error instanceof SafetensorsError) throw new EngineError('config', `the checkpoint is not readable: ${error.message}`);
    throw error;
  }
  if (metadata['format'] !== FORMAT) throw new EngineError('config', 'these bytes are not a fiat-studio training checkpoint');
  let lora: TrainedSpec;
  try {
    lora = parseTrainedKey(metadata['lora']);
  } catch (error) {
    throw new EngineError('config', `the checkpoint's LoRA settings are not readable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const layout = adapterLayout(config, lora);
  const last = layout.adapter.tensors.at(-1)!;
  const size = last.offset + last.shape.reduce((a, b) => a * b, 1);
  const state = readCheckpoint(checkpoint, { model, lora }, new Map([[ADAPTER_INPUT, size]]));
  return { spec: lora, tensors: unpackAdapter(layout, state.get(ADAPTER_INPUT)!) };
}

/** A checkpoint's `lora` entry in the user's words: the LoRA settings' JSON, or "all weights". */
function describeKey(key: string | undefined): string {
  return key === JSON.stringify(ALL_WEIGHTS) ? '(all weights trained)' : (key ?? '?');
}
