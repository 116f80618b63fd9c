import { z } from 'zod';
import { ConfigError, configErrorFromZod, parseJsonText } from './config-error.ts';
import { ARCHITECTURES } from './config.ts';
import { LORA_TARGETS } from './lora.ts';
import { sizeOf } from '../graph/shape.ts';

/**
 * manifest.json of a set of training artifacts (artifacts.ts writes it, runtime/ reads it). It says which
 * file holds what and how the train step's inputs and outputs pair up, so a runner needs no naming convention:
 *
 *   adapter                   how the LoRA tensors (PEFT names) are packed into the one trainable input
 *   trainStep.trainable       the trainable inputs (the packed adapter)
 *   trainStep.optimizerState  the optimizer-state inputs (AdamW moments), each naming the trainable it belongs to
 *   trainStep.updates         output name -> the input it replaces next step (trainables and optimizer state)
 *   trainStep.gradients       output name -> the trainable input it is the gradient of (only --with-grads)
 *   trainStep.loss/lr/step    the loss output and the two scalar inputs (float, the model's dtype); step is the
 *                             1-based count of the update being made
 *   weights.placement         'initializers': the base weights are inside both .onnx files;
 *                             'inputs': they are graph inputs of both (shared across sessions, no 2 GiB protobuf
 *                             limit), stored in weights.file under the same names
 *   batch.inputs              the batch inputs of every graph (input_ids int64; masks and labels float)
 *   accumulation              null, or the two graphs of gradient accumulation over micro-batches of batch.size
 *                             (graph/optim/packed-accumulation.ts): `accumulate` adds a micro-batch's gradient and
 *                             loss to running sums (inputs and outputs, zeros at the first micro-batch), its loss
 *                             divided by the scalar input lossDenominator (the whole batch's max(sum(loss_mask), 1));
 *                             `apply` clips the summed gradients and runs AdamW, with trainStep's output names
 *
 * Version 2 added `accumulation`; a version 1 manifest reads as version 2 without it.
 */

export const MANIFEST_FORMAT = 'fiat-studio.training-artifacts';
export const MANIFEST_VERSION = 2;

const dtype = z.enum(['float32', 'float64', 'int64']);
const tensorSpec = z.object({ name: z.string().min(1), dtype, shape: z.array(z.number().int().nonnegative()) });
export type TensorSpec = z.infer<typeof tensorSpec>;

const file = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a plain file name in the artifacts folder');
/** output name -> the input it replaces at the next run */
const updates = z.record(z.string(), z.string());
const running = z.object({ input: z.string().min(1), output: z.string().min(1) });

const accumulationSchema = z.object({
  accumulate: z.object({
    file,
    lossDenominator: z.string().min(1),
    lossSum: running,
    /** One per trainable input: its running gradient, the apply graph's input of the same name. */
    gradientSums: z.array(running.extend({ of: z.string() })).min(1),
  }),
  apply: z.object({ file, lr: z.string(), step: z.string(), gradNorm: z.string().nullable(), updates }),
});

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  model: z.object({
    architecture: z.enum(ARCHITECTURES),
    /** The normalised ModelConfig the graphs were built from (config.ts). */
    config: z.record(z.string(), z.unknown()),
  }),
  /** The LoRA adapter that is trained, or every weight (trained-weights.ts): `adapter` then lays out the checkpoint's tensors. */
  lora: z.union([
    z.object({ r: z.number().int().positive(), alpha: z.number().positive(), targets: z.array(z.enum(LORA_TARGETS)).min(1), dropout: z.literal(0) }),
    z.object({ allWeights: z.literal(true) }),
  ]),
  dtype: z.enum(['float32', 'float64']),
  adapter: z.object({
    input: z.string(),
    tensors: z.array(z.object({ name: z.string(), offset: z.number().int().nonnegative(), shape: z.array(z.number().int().positive()) })).min(1),
  }),
  batch: z.object({ size: z.number().int().positive(), seqLen: z.number().int().positive(), inputs: z.array(tensorSpec) }),
  weights: z.discriminatedUnion('placement', [
    z.object({ placement: z.literal('initializers') }),
    z.object({ placement: z.literal('inputs'), file, tensors: z.array(tensorSpec) }),
  ]),
  forward: z.object({ file, loss: z.string(), logits: z.string(), trainable: z.array(z.string()) }),
  trainStep: z.object({
    file,
    lr: z.string(),
    step: z.string(),
    loss: z.string(),
    gradNorm: z.string().nullable(),
    trainable: z.array(tensorSpec).min(1),
    optimizerState: z.array(tensorSpec.extend({ of: z.string(), kind: z.enum(['adam_m', 'adam_v']) })),
    updates,
    gradients: z.record(z.string(), z.string()).nullable(),
  }),
  accumulation: accumulationSchema.nullable(),
  optimizer: z.object({
    type: z.literal('adamw'),
    beta1: z.number(),
    beta2: z.number(),
    eps: z.number(),
    weightDecay: z.number(),
    maxGradNorm: z.number().positive().nullable(),
  }),
  /** Trainables and optimizer state at `step` completed updates (0 for fresh artifacts), keyed by input name. */
  state: z.object({ file, step: z.number().int().nonnegative() }),
  /** A sample batch keyed by input name (the CLI writes one). */
  sampleBatch: file.nullable(),
});

export type ArtifactsManifest = z.infer<typeof manifestSchema>;
export type Accumulation = z.infer<typeof accumulationSchema>;

/**
 * Validates a manifest and its internal consistency (every update pairs an output with a declared input,
 * every optimizer state names a trainable); throws a ConfigError naming the field.
 */
export function parseManifest(json: unknown, source = 'manifest.json'): ArtifactsManifest {
  const parsed = manifestSchema.safeParse(fromVersion1(json));
  if (!parsed.success) throw configErrorFromZod(parsed.error, json, source);
  const m = parsed.data;
  const step = m.trainStep;
  const trainable = new Set(step.trainable.map((t) => t.name));
  const inputs = new Set([...trainable, ...step.optimizerState.map((t) => t.name)]);
  for (const s of step.optimizerState) {
    if (!trainable.has(s.of)) throw new ConfigError(source, 'trainStep.optimizerState', `${s.name} belongs to ${s.of}, which is not a trainable input`);
  }
  checkUpdates(step.updates, inputs, source, 'trainStep.updates');
  if (!trainable.has(m.adapter.input)) throw new ConfigError(source, 'adapter.input', `${m.adapter.input} is not a trainable input`);
  const packedSize = sizeOf(step.trainable.find((t) => t.name === m.adapter.input)!.shape);
  let end = 0;
  for (const [i, t] of m.adapter.tensors.entries()) {
    if (t.offset !== end) throw new ConfigError(source, `adapter.tensors.${i}.offset`, `${t.name} starts at ${t.offset}, expected ${end} (parts are back to back)`);
    end += sizeOf(t.shape);
  }
  if (end !== packedSize) throw new ConfigError(source, 'adapter.tensors', `the parts hold ${end} values, the input ${m.adapter.input} ${packedSize}`);
  for (const [output, input] of Object.entries(step.gradients ?? {})) {
    if (!trainable.has(input)) throw new ConfigError(source, `trainStep.gradients.${output}`, `${input} is not a trainable input`);
  }
  if (m.accumulation !== null) checkAccumulation(m.accumulation, m, trainable, inputs, source);
  return m;
}

/** Every update replaces one of `inputs`, and each of them is replaced. */
function checkUpdates(updates: Record<string, string>, inputs: ReadonlySet<string>, source: string, field: string): void {
  const updated = new Set<string>();
  for (const [output, input] of Object.entries(updates)) {
    if (!inputs.has(input)) throw new ConfigError(source, `${field}.${output}`, `${input} is not a trainable or optimizer-state input`);
    updated.add(input);
  }
  const stale = [...inputs].find((i) => !updated.has(i));
  if (stale !== undefined) throw new ConfigError(source, field, `no output updates the input ${stale}`);
}

function checkAccumulation(a: Accumulation, m: ArtifactsManifest, trainable: ReadonlySet<string>, inputs: ReadonlySet<string>, source: string): void {
  const summed = new Set<string>();
  const names = new Set<string>([a.accumulate.lossDenominator, ...inputs, ...m.batch.inputs.map((b) => b.name)]);
  const fresh = (name: string, field: string) => {
    if (names.has(name)) throw new ConfigError(source, field, `${name} names two inputs`);
    names.add(name);
  };
  fresh(a.accumulate.lossSum.input, 'accumulation.accumulate.lossSum.input');
  for (const [i, g] of a.accumulate.gradientSums.entries()) {
    const field = `accumulation.accumulate.gradientSums.${i}`;
    if (!trainable.has(g.of)) throw new ConfigError(source, `${field}.of`, `${g.of} is not a trainable input`);
    if (summed.has(g.of)) throw new ConfigError(source, `${field}.of`, `${g.of} has two gradient sums`);
    summed.add(g.of);
    fresh(g.input, `${field}.input`);
  }
  const unsummed = [...trainable].find((t) => !summed.has(t));
  if (unsummed !== undefined) throw new ConfigError(source, 'accumulation.accumulate.gradientSums', `no gradient sum for the trainable input ${unsummed}`);
  checkUpdates(a.apply.updates, inputs, source, 'accumulation.apply.updates');
  if ((a.apply.gradNorm === null) !== (m.optimizer.maxGradNorm === null)) {
    throw new ConfigError(source, 'accumulation.apply.gradNorm', 'the apply graph outputs a gradient norm exactly when the optimizer clips');
  }
}

/** A version 1 manifest is a version 2 one without accumulation (which version 2 added). */
function fromVersion1(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const m = json as Record<string, unknown>;
  return m['version'] === 1 && !('accumulation' in m) ? { ...m, version: MANIFEST_VERSION, accumulation: null } : json;
}

export function parseManifestText(text: string, source = 'manifest.json'): ArtifactsManifest {
  return parseManifest(parseJsonText(text, source), source);
}

/** The LoRA tensors of a packed adapter vector, by PEFT name (views into `flat`, no copy). */
export function unpackAdapter<T extends Float32Array | Float64Array>(m: Pick<ArtifactsManifest, 'adapter'>, flat: T): Map<string, T> {
  const out = new Map<string, T>();
  for (const t of m.adapter.tensors) out.set(t.name, flat.subarray(t.offset, t.offset + sizeOf(t.shape)) as T);
  return out;
}

/** Packs LoRA tensors (by PEFT name) into the adapter vector; every tensor of the layout must be given with its size. */
export function packAdapter(m: Pick<ArtifactsManifest, 'adapter'>, tensors: ReadonlyMap<string, ArrayLike<number>>, dtype: 'float32' | 'float64'): Float32Array | Float64Array {
  const last = m.adapter.tensors.at(-1)!;
  const flat = dtype === 'float64' ? new Float64Array(last.offset + sizeOf(last.shape)) : new Float32Array(last.offset + sizeOf(last.shape));
  for (const t of m.adapter.tensors) {
    const data = tensors.get(t.name);
    if (data === undefined) throw new ConfigError('adapter', t.name, 'missing from the adapter');
    if (data.length !== sizeOf(t.shape)) throw new ConfigError('adapter', t.name, `has ${data.length} values, the LoRA spec needs [${t.shape.join(', ')}]`);
    flat.set(data, t.offset);
  }
  return flat;
}
