import type { TrainingArtifacts, StateData } from './artifacts.ts';
import type { Batch } from './batch.ts';
import { parseManifestText, type ArtifactsManifest, type TensorSpec } from './manifest.ts';
import { readSafetensors, SafetensorsError, writeSafetensors, type TensorToWrite } from './safetensors.ts';

/**
 * Training artifacts as files (the CLI's output folder, or files the studio stores): manifest.json, the two
 * .onnx files (four with gradient accumulation: accumulate.onnx, apply.onnx), state.safetensors, weights.safetensors (weights as inputs) and batch.safetensors (a sample
 * batch). Safetensors keys are graph input names.
 */

function stateTensor(data: StateData, shape: readonly number[]): TensorToWrite {
  return data instanceof Float64Array ? { dtype: 'F64', shape, data } : { dtype: 'F32', shape, data };
}

function tensorsOf(specs: readonly TensorSpec[], values: ReadonlyMap<string, StateData>): Record<string, TensorToWrite> {
  const out: Record<string, TensorToWrite> = {};
  for (const s of specs) out[s.name] = stateTensor(values.get(s.name)!, s.shape);
  return out;
}

/** Serialises the artifacts; `sampleBatch` adds batch.safetensors (keyed by input name) and names it in the manifest. */
export function artifactFiles(artifacts: TrainingArtifacts, sampleBatch?: Batch): Map<string, Uint8Array> {
  const m: ArtifactsManifest = { ...artifacts.manifest, sampleBatch: sampleBatch ? 'batch.safetensors' : null };
  const files = new Map<string, Uint8Array>();
  files.set(m.forward.file, artifacts.forwardOnnx);
  files.set(m.trainStep.file, artifacts.trainStepOnnx);
  if (m.accumulation !== null) {
    if (artifacts.accumulation === null) throw new Error('artifactFiles: the manifest names accumulation graphs the artifacts do not have');
    files.set(m.accumulation.accumulate.file, artifacts.accumulation.accumulateOnnx);
    files.set(m.accumulation.apply.file, artifacts.accumulation.applyOnnx);
  }
  const stateSpecs = [...m.trainStep.trainable, ...m.trainStep.optimizerState];
  files.set(m.state.file, writeSafetensors(tensorsOf(stateSpecs, artifacts.state), { step: String(m.state.step) }));
  if (m.weights.placement === 'inputs') files.set(m.weights.file, writeSafetensors(tensorsOf(m.weights.tensors, artifacts.weights)));
  if (sampleBatch) {
    const shape = [sampleBatch.batchSize, sampleBatch.seqLen];
    files.set(
      'batch.safetensors',
      writeSafetensors({
        input_ids: { dtype: 'I64', shape, data: sampleBatch.input_ids },
        attention_mask: stateTensor(sampleBatch.attention_mask, shape),
        labels: stateTensor(sampleBatch.labels, shape),
        loss_mask: stateTensor(sampleBatch.loss_mask, shape),
      }),
    );
  }
  files.set('manifest.json', new TextEncoder().encode(`${JSON.stringify(m, null, 2)}\n`));
  return files;
}

function readTensors(bytes: Uint8Array, source: string, specs: readonly TensorSpec[], dtype: 'float32' | 'float64'): Map<string, StateData> {
  const file = readSafetensors(bytes, source);
  const out = new Map<string, StateData>();
  for (const s of specs) {
    const info = file.info(s.name);
    if (info.shape.length !== s.shape.length || info.shape.some((d, i) => d !== s.shape[i])) {
      throw new SafetensorsError(`${source}: tensor "${s.name}" has shape [${info.shape.join(', ')}], the manifest says [${s.shape.join(', ')}]`);
    }
    out.set(s.name, dtype === 'float64' ? file.float64(s.name) : file.float32(s.name));
  }
  return out;
}

/** Reads artifacts written by artifactFiles; `read` fetches a file of the folder by name. */
export async function readArtifactFiles(
  read: (name: string) => Promise<Uint8Array>,
): Promise<Omit<TrainingArtifacts, 'stats'> & { sampleBatch: Batch | null }> {
  const manifest = parseManifestText(new TextDecoder().decode(await read('manifest.json')));
  const stateSpecs = [...manifest.trainStep.trainable, ...manifest.trainStep.optimizerState];
  const state = readTensors(await read(manifest.state.file), manifest.state.file, stateSpecs, manifest.dtype);
  const weights =
    manifest.weights.placement === 'inputs'
      ? readTensors(await read(manifest.weights.file), manifest.weights.file, manifest.weights.tensors, manifest.dtype)
      : new Map<string, StateData>();
  let sampleBatch: Batch | null = null;
  if (manifest.sampleBatch !== null) {
    const file = readSafetensors(await read(manifest.sampleBatch), manifest.sampleBatch);
    const float = (name: string) => (manifest.dtype === 'float64' ? file.float64(name) : file.float32(name));
    sampleBatch = {
      batchSize: manifest.batch.size,
      seqLen: manifest.batch.seqLen,
      input_ids: file.int64('input_ids'),
      attention_mask: float('attention_mask'),
      labels: float('labels'),
      loss_mask: float('loss_mask'),
    };
  }
  return {
    manifest,
    forwardOnnx: await read(manifest.forward.file),
    trainStepOnnx: await read(manifest.trainStep.file),
    accumulation:
      manifest.accumulation === null
        ? null
        : { accumulateOnnx: await read(manifest.accumulation.accumulate.file), applyOnnx: await read(manifest.accumulation.apply.file) },
    state,
    weights,
    sampleBatch,
  };
}
