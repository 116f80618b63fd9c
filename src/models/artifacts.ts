import { kernelCost } from '../graph/cost.ts';
import { bytesPerElement } from '../graph/dtype.ts';
import type { Tensor } from '../graph/ir.ts';
import { LOSS_CHUNK_BYTES } from '../graph/nn/loss.ts';
import { emitOnnx, liveNodes, type EmitOptions } from '../graph/onnx/emit.ts';
import { adamwDefaults, type AdamWOptions } from '../graph/optim/adamw.ts';
import { appendPackedAccumulate, buildPackedApply } from '../graph/optim/packed-accumulation.ts';
import { appendPackedTrainStep } from '../graph/optim/packed-train-step.ts';
import type { BaseWeights } from './base-weights.ts';
import { buildCausalLM, checkCausalLMSpec, LOSS_DENOMINATOR_INPUT, type CausalLMGraph, type CausalLMSpec, type ModelDType } from './causal-lm.ts';
import { ConfigError } from './config-error.ts';
import { frozenTensors, layOut, type BackwardWeights } from './frozen-layout.ts';
import { initialTrainedWeights, isAllWeights } from './trained-weights.ts';
import { MANIFEST_FORMAT, MANIFEST_VERSION, packAdapter, type Accumulation, type ArtifactsManifest, type TensorSpec } from './manifest.ts';

/**
 * Builds the training artifacts of a LoRA fine-tune (DESIGN.md, "The one hard part"):
 *   forward.onnx     batch + adapter (+ base weights as inputs) -> loss, logits
 *   train-step.onnx  batch + adapter + AdamW moments + lr + step (+ base weights as inputs)
 *                    -> loss, updated adapter and moments, [grad_norm], [raw gradient]
 *   accumulate.onnx  (option `accumulation`) batch + adapter + running loss and gradient sums + the whole batch's
 *                    token count (+ base weights as inputs) -> the sums plus this micro-batch's part
 *   apply.onnx       (option `accumulation`) adapter + AdamW moments + summed gradient + lr + step -> as train-step
 *   state            the adapter and its AdamW moments at step 0, keyed by input name
 * The adapter is every LoRA tensor packed into one vector (manifest.adapter gives the layout by PEFT name).
 *   manifest         manifest.ts
 * In memory: the studio's worker hands these to runtime/ directly; artifact-files.ts serialises them.
 */

export type WeightsPlacement = 'initializers' | 'inputs';

export interface ArtifactsOptions extends CausalLMSpec {
  /** The frozen base weights (float32, checkpoint names). */
  readonly weights: BaseWeights;
  /** Default 'inputs': shared by the forward and train-step sessions, no 2 GiB protobuf limit. */
  readonly weightsPlacement?: WeightsPlacement;
  /** Initial LoRA tensors by PEFT name (an imported adapter); default PEFT's init with `seed` (all weights: `weights`). */
  readonly adapter?: ReadonlyMap<string, Float32Array>;
  /** Seed of PEFT's LoRA init when no adapter is given. Default 0. */
  readonly seed?: number;
  readonly adamw?: AdamWOptions;
  /** clip_grad_norm_ max norm; null for no clipping. Default 1.0 (transformers' Trainer default). */
  readonly maxGradNorm?: number | null;
  /** Also output the raw gradient of the adapter from the train step. */
  readonly withGradients?: boolean;
  /**
   * The train step computes its loss in row chunks whose [rows, V] logits take at most this many bytes
   * (causal-lm.ts CausalLMOptions); default LOSS_CHUNK_BYTES (256 MiB). The forward graph outputs whole logits.
   */
  readonly lossChunkBytes?: number;
  /** Whether both graphs split long sums with few GPU tiles (graph/ir.ts GraphOptions.splitSums); default true. */
  readonly splitSums?: boolean;
  /** How the train step's backward reads the layers' frozen matrices (causal-lm.ts CausalLMOptions); default 'stored'. */
  readonly backwardWeights?: BackwardWeights;
  /**
   * Also build the graphs of gradient accumulation (graph/optim/packed-accumulation.ts): an optimizer step over k
   * micro-batches of batchSize (runtime/trainer.ts). Default false: the fused train step only.
   */
  readonly accumulation?: boolean;
}

/** The two graphs of gradient accumulation (manifest.accumulation names their inputs and outputs). */
export interface AccumulationGraphs {
  readonly accumulateOnnx: Uint8Array;
  readonly applyOnnx: Uint8Array;
}

/** The graphs of an optimizer step at one sequence length (buildStepGraphs; the artifacts' own at theirs). */
export interface StepGraphs {
  readonly trainStepOnnx: Uint8Array;
  readonly accumulation: AccumulationGraphs | null;
}

export type StateData = Float32Array | Float64Array;

export interface TrainingArtifacts {
  readonly manifest: ArtifactsManifest;
  readonly forwardOnnx: Uint8Array;
  readonly trainStepOnnx: Uint8Array;
  /** Built with the option `accumulation`, else null. */
  readonly accumulation: AccumulationGraphs | null;
  /** Trainables and optimizer state by input name (manifest.trainStep.trainable / optimizerState), the model's dtype. */
  readonly state: ReadonlyMap<string, StateData>;
  /**
   * The frozen weights by input name in the model's dtype, laid out as the graphs read them (frozen-layout.ts),
   * when placement is 'inputs' (else empty). The train step reads all of them, the forward graph some.
   */
  readonly weights: ReadonlyMap<string, StateData>;
  /**
   * ONNX node counts of the two graphs (for benchmarks and the studio's diagnostics), and the train step's kernels
   * (its nodes other than Reshape, a view without a kernel on onnxruntime-web's WebGPU EP) with their work
   * (graph/cost.ts: the products' flops and the bytes the kernels read and write).
   */
  readonly stats: {
    readonly forwardNodes: number;
    readonly trainStepNodes: number;
    readonly trainStepKernels: number;
    readonly trainStepProductFlops: number;
    readonly trainStepKernelBytes: number;
    /** How many row chunks the train step's loss runs in (lossChunkBytes). */
    readonly trainStepLossChunks: number;
  };
}

const spec = (t: Tensor): TensorSpec => ({ name: t.name, dtype: t.dtype as TensorSpec['dtype'], shape: [...t.shape] });

function asDType(data: Float32Array, dtype: ModelDType): StateData {
  return dtype === 'float32' ? data : Float64Array.from(data);
}

/** A protobuf message (an .onnx file with its initializers) cannot exceed 2 GiB; leave room for the graph itself. */
const MAX_INLINE_WEIGHT_BYTES = 2 ** 31 - 2 ** 26;

/** What the train-step graph depends on: the artifacts' options less the weights' data and placement. */
export type TrainStepGraphOptions = CausalLMSpec & Pick<ArtifactsOptions, 'adamw' | 'maxGradNorm' | 'withGradients' | 'lossChunkBytes' | 'splitSums' | 'backwardWeights'>;

/**
 * The train step as a graph (forward with the loss in chunks, backward, clipping, AdamW), not emitted: the one
 * place it is made, for the artifacts and for engine/memory.ts, which sizes its tensors. `weights` as in
 * buildCausalLM (omitted: initializers without data).
 */
export function buildTrainStepGraph(options: TrainStepGraphOptions, weights?: BaseWeights) {
  const train = buildCausalLM(options, weights, 'train_step', {
    splitSums: options.splitSums,
    backwardWeights: options.backwardWeights ?? 'stored',
    lossChunkBytes: options.lossChunkBytes ?? LOSS_CHUNK_BYTES,
  });
  const maxGradNorm = options.maxGradNorm === undefined ? 1 : options.maxGradNorm;
  const adamw = { ...adamwDefaults, ...options.adamw };
  const step = appendPackedTrainStep({
    loss: train.loss,
    params: train.adapter,
    adamw,
    ...(maxGradNorm === null ? {} : { maxGradNorm }),
    outputGradients: options.withGradients ?? false,
  });
  return { train, step, maxGradNorm, adamw };
}

/** The frozen weights a graph reads (its other laid-out tensors are not emitted: x's gradient at layer 0, say). */
function frozenRead(m: CausalLMGraph): Tensor[] {
  const read = new Set(liveNodes(m.graph).flatMap((n) => n.inputs));
  return m.frozen.filter((t) => read.has(t));
}

export function buildTrainingArtifacts(options: ArtifactsOptions): TrainingArtifacts {
  checkCausalLMSpec(options);
  const dtype: ModelDType = options.dtype ?? 'float32';
  const placement = options.weightsPlacement ?? 'inputs';
  const asInputs = placement === 'inputs';
  const backwardWeights = options.backwardWeights ?? 'stored';
  const layout = frozenTensors(options.config, backwardWeights);
  if (!asInputs) {
    let values = 0;
    for (const t of layout) for (const p of t.parts) values += p.name === null ? p.rows : (options.weights.get(p.name)?.length ?? 0);
    const bytes = values * bytesPerElement[dtype];
    if (bytes > MAX_INLINE_WEIGHT_BYTES) {
      throw new ConfigError(
        'artifacts',
        'weightsPlacement',
        `${(bytes / 2 ** 30).toFixed(2)} GiB of ${dtype} base weights (laid out for the train step) do not fit in one .onnx protobuf (2 GiB); use weights as inputs`,
      );
    }
  }
  // With the weights as inputs the graphs need no data: the initializers stay data-less.
  const graphWeights = asInputs ? undefined : options.weights;
  const emit = { initializersAsInputs: asInputs, producerName: 'fiat-studio' };

  const build = { splitSums: options.splitSums, backwardWeights };
  const forward = buildCausalLM(options, graphWeights, 'forward', build);
  forward.graph.output('loss', forward.loss);
  forward.graph.output('logits', forward.logits);
  const forwardOnnx = emitOnnx(forward.graph, emit);

  const { train, step, maxGradNorm, adamw, trainStepOnnx, accumulation } = stepGraphs(options, graphWeights, emit);

  const adapter = { input: train.adapter.flat.name, tensors: train.adapter.layout.map((p) => ({ name: p.name, offset: p.offset, shape: [...p.shape] })) };
  const initial = options.adapter ?? initialTrainedWeights(options.config, options.lora, options.seed ?? 0, options.weights);
  const state = new Map<string, StateData>();
  const packed = packAdapter({ adapter }, initial, dtype);
  state.set(adapter.input, packed);
  for (const s of step.state) {
    state.set(s.m, asDType(new Float32Array(packed.length), dtype));
    state.set(s.v, asDType(new Float32Array(packed.length), dtype));
  }
  const frozen = frozenRead(train);
  const forwardFrozen = frozenRead(forward);
  const extra = forwardFrozen.find((t) => !frozen.some((u) => u.name === t.name));
  if (extra !== undefined) throw new Error(`artifacts: the forward graph reads ${extra.name}, which the train step does not`);
  const weights = new Map<string, StateData>();
  const specs = new Map(layout.map((t) => [t.name, t]));
  if (asInputs) for (const t of frozen) weights.set(t.name, asDType(layOut(specs.get(t.name)!, options.weights), dtype));

  const byName = new Map(train.graph.inputs.map((t) => [t.name, t]));
  const input = (name: string): Tensor => byName.get(name)!;
  const updates: Record<string, string> = {};
  const gradients: Record<string, string> = {};
  for (const s of step.state) {
    updates[s.paramOut] = s.param;
    updates[s.mOut] = s.m;
    updates[s.vOut] = s.v;
    if (s.grad !== undefined) gradients[s.grad] = s.param;
  }
  const manifest: ArtifactsManifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    model: { architecture: options.config.architecture, config: { ...options.config } },
    lora: isAllWeights(options.lora) ? { allWeights: true } : { r: options.lora.r, alpha: options.lora.alpha, targets: [...options.lora.targets], dropout: 0 },
    dtype,
    adapter,
    batch: { size: options.batchSize, seqLen: options.seqLen, inputs: Object.values(train.batch).map(spec) },
    weights: asInputs ? { placement: 'inputs', file: 'weights.safetensors', tensors: frozen.map(spec) } : { placement: 'initializers' },
    forward: { file: 'forward.onnx', loss: 'loss', logits: 'logits', trainable: [forward.adapter.flat.name] },
    trainStep: {
      file: 'train-step.onnx',
      lr: step.lr,
      step: step.step,
      loss: step.loss,
      gradNorm: step.gradNorm ?? null,
      trainable: [spec(train.adapter.flat)],
      optimizerState: step.state.flatMap((s) => [
        { ...spec(input(s.m)), of: s.param, kind: 'adam_m' as const },
        { ...spec(input(s.v)), of: s.param, kind: 'adam_v' as const },
      ]),
      updates,
      gradients: options.withGradients ? gradients : null,
    },
    accumulation: accumulation?.manifest ?? null,
    optimizer: { type: 'adamw', ...adamw, maxGradNorm },
    state: { file: 'state.safetensors', step: 0 },
    sampleBatch: null,
  };
  const emitted = (graph: typeof train.graph) => liveNodes(graph).filter((n) => n.def.op !== 'StopGradient'); // emits no ONNX node
  const trainNodes = emitted(train.graph);
  const cost = kernelCost(trainNodes);
  const stats = {
    forwardNodes: emitted(forward.graph).length,
    trainStepNodes: trainNodes.length,
    trainStepKernels: cost.kernels,
    trainStepProductFlops: cost.productFlops,
    trainStepKernelBytes: cost.bytes,
    trainStepLossChunks: train.lossChunks?.length ?? 1,
  };
  return { manifest, forwardOnnx, trainStepOnnx, accumulation: accumulation?.graphs ?? null, state, weights, stats };
}

/** The graphs of an optimizer step at one sequence length: the train step and, with `accumulation`, accumulate and apply. */
function stepGraphs(options: ArtifactsOptions, graphWeights: BaseWeights | undefined, emit: EmitOptions) {
  const backwardWeights = options.backwardWeights ?? 'stored';
  const { train, step, maxGradNorm, adamw } = buildTrainStepGraph(options, graphWeights);
  const lossChunkBytes = options.lossChunkBytes ?? LOSS_CHUNK_BYTES;
  const trainStepOnnx = emitOnnx(train.graph, emit);
  const layout = { splitSums: options.splitSums, backwardWeights, lossChunkBytes };
  const accumulation = options.accumulation ? accumulationGraphs(options, graphWeights, layout, emit, { adamw, ...(maxGradNorm === null ? {} : { maxGradNorm }) }) : null;
  return { train, step, maxGradNorm, adamw, trainStepOnnx, accumulation };
}

/**
 * The graphs of a step over batches of `seqLen` positions (a length bucket, runtime/trainer.ts): the train step and,
 * with `accumulation`, the accumulate and apply graphs, built as buildTrainingArtifacts builds them from the same
 * options, so their inputs and outputs have the same names and, but for the batch's length, the same shapes (the
 * state they update is the artifacts' own). The weights are placed as there.
 */
export function buildStepGraphs(options: ArtifactsOptions, seqLen: number): StepGraphs {
  const at = { ...options, seqLen };
  checkCausalLMSpec(at);
  const asInputs = (options.weightsPlacement ?? 'inputs') === 'inputs';
  const { trainStepOnnx, accumulation } = stepGraphs(at, asInputs ? undefined : options.weights, { initializersAsInputs: asInputs, producerName: 'fiat-studio' });
  return { trainStepOnnx, accumulation: accumulation?.graphs ?? null };
}

/** The accumulate and apply graphs (graph/optim/packed-accumulation.ts) and their part of the manifest. */
function accumulationGraphs(
  options: ArtifactsOptions,
  graphWeights: ArtifactsOptions['weights'] | undefined,
  layout: { splitSums?: boolean | undefined; backwardWeights: BackwardWeights; lossChunkBytes: number },
  emit: EmitOptions,
  update: { adamw: AdamWOptions; maxGradNorm?: number },
): { graphs: AccumulationGraphs; manifest: Accumulation } {
  const micro = buildCausalLM(options, graphWeights, 'accumulate', { ...layout, lossDenominator: true });
  const sums = appendPackedAccumulate(micro.loss, micro.adapter);
  const apply = buildPackedApply({
    param: micro.adapter.flat.name,
    size: micro.adapter.flat.shape[0]!,
    dtype: micro.adapter.flat.dtype,
    ...update,
    graph: { splitSums: layout.splitSums },
  });
  const s = apply.step.state[0]!;
  return {
    graphs: { accumulateOnnx: emitOnnx(micro.graph, emit), applyOnnx: emitOnnx(apply.graph, emit) },
    manifest: {
      accumulate: { file: 'accumulate.onnx', lossDenominator: LOSS_DENOMINATOR_INPUT, lossSum: sums.lossSum, gradientSums: [sums.gradientSum] },
      apply: {
        file: 'apply.onnx',
        lr: apply.step.lr,
        step: apply.step.step,
        gradNorm: apply.step.gradNorm ?? null,
        updates: { [s.paramOut]: s.param, [s.mOut]: s.m, [s.vOut]: s.v },
      },
    },
  };
}
