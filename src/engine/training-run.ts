import { buildStepGraphs, buildTrainingArtifacts, type ArtifactsOptions, type TrainingArtifacts } from '../models/artifacts.ts';
import { packMicroBatches, type Batch, type TokenSequence } from '../models/batch.ts';
import type { BackwardWeights } from '../models/frozen-layout.ts';
import { parseLoraSpec, type LoraSpec } from '../models/lora.ts';
import { ALL_WEIGHTS, isAllWeights, type TrainedSpec } from '../models/trained-weights.ts';
import { Trainer } from '../runtime/trainer.ts';
import type { BackendHandle, BackendProvider } from './backends.ts';
import { batchIndices } from './data-order.ts';
import type { MemoryEstimate, PeftAdapter, TrainExample, TrainingCheckpoint, TrainingInfo, TrainingSetup, TrainProgress, TrainRequest, TrainResult } from './engine.ts';
import { readCheckpoint, writeCheckpoint, type CheckpointIdentity } from './checkpoint.ts';
import { EngineError, throwIfCancelled } from './errors.ts';
import { asEngineError } from './error-mapping.ts';
import type { LoadedModel } from './load-model.ts';
import { CPU_BUCKET_WEIGHT_BYTES, defaultLengthBuckets, resolveLengthBuckets } from './length-buckets.ts';
import { learningRate } from './lr-schedule.ts';
import { estimateTrainingMemory, lossChunkBytesFor } from './memory.ts';
import { readPeftAdapter, writePeftAdapter } from './peft-adapter.ts';
import { toSequences } from './sequences.ts';
import type { SharedTraining } from './inference-run.ts';

/** Why a full-weight run has no PEFT adapter to read or export. */
export const ALL_WEIGHTS_NO_ADAPTER = 'this run trains all weights: it has no LoRA adapter (export the tuned model instead)';

/** Weights above this go in as graph inputs on the CPU EPs too: an .onnx protobuf holds at most 2 GiB. */
const INLINE_WEIGHTS_LIMIT = 1.5 * 2 ** 30;

/**
 * The LoRA spec, micro-batch, loss chunks, frozen-weight layout and memory estimate a setup implies; refused setups
 * are EngineErrors naming the field.
 * Frozen layout (models/frozen-layout.ts): on WebGPU the layer matrices are kept in both layouts ('stored': no
 * Transpose per step) when that fits the device and the budget, else in one ('per-step': a Transpose per matrix per
 * step, the weights' memory about halved); the CPU EPs keep one (host memory, WASM's 4 GiB heap, the 2 GiB .onnx
 * limit of weights as initializers), where a Transpose costs little next to the products.
 * Length buckets (length-buckets.ts): as asked, or by default 64, 128, ... below seqLen, then seqLen, unless that
 * does not fit where no buckets would (graph capture keeps each bucket's buffers), or, on a CPU EP, the extra copies
 * of the weights (one per bucket below seqLen, the weights as initializers) would exceed CPU_BUCKET_WEIGHT_BYTES.
 */
export async function planTraining(
  model: Pick<LoadedModel, 'config'>,
  setup: TrainingSetup,
  backends: BackendProvider,
): Promise<{ lora: TrainedSpec; micro: number; lossChunkBytes: number; backwardWeights: BackwardWeights; lengthBuckets: number[]; memory: MemoryEstimate }> {
  const lora: TrainedSpec = setup.allWeights ? ALL_WEIGHTS : parseLoraSpec({ r: setup.lora.r, alpha: setup.lora.alpha, targets: setup.lora.targets });
  if (setup.allWeights && setup.adapter) throw new EngineError('usage', 'a run that trains all weights cannot start from a LoRA adapter');
  const positive = (value: number, field: string) => {
    if (!Number.isInteger(value) || value < 1) throw new EngineError('config', `${field} must be a positive whole number, not ${value}`);
  };
  positive(setup.batchSize, 'batch size');
  positive(setup.seqLen, 'sequence length');
  const micro = setup.microBatchSize ?? setup.batchSize;
  positive(micro, 'micro-batch');
  if (micro > setup.batchSize) throw new EngineError('config', `the micro-batch (${micro}) cannot be larger than the batch (${setup.batchSize})`);
  if (setup.seqLen > model.config.maxPositionEmbeddings) {
    throw new EngineError('config', `sequence length ${setup.seqLen} is more than this model's context (${model.config.maxPositionEmbeddings} tokens)`);
  }
  if (!backends.eps.includes(setup.ep)) throw new EngineError('usage', `the ${setup.ep} execution provider is not available here (available: ${backends.eps.join(', ')})`);
  const limits = await backends.limits(setup.ep);
  const lossChunkBytes = setup.lossChunkBytes ?? lossChunkBytesFor(limits);
  const graphCapture = capturesGraph(setup);
  const estimate = (backwardWeights: BackwardWeights, lengthBuckets: readonly number[]) =>
    estimateTrainingMemory(
      model.config,
      {
        lora,
        microBatchSize: micro,
        seqLen: setup.seqLen,
        lossChunkBytes,
        ...(setup.splitSums === undefined ? {} : { splitSums: setup.splitSums }),
        graphCapture,
        backwardWeights,
        lengthBuckets,
      },
      limits,
      setup.memoryBudgetBytes ?? null,
    );
  const layout = (lengthBuckets: readonly number[]): { backwardWeights: BackwardWeights; memory: MemoryEstimate } => {
    let backwardWeights: BackwardWeights = setup.ep === 'webgpu' ? 'stored' : 'per-step';
    let memory = estimate(backwardWeights, lengthBuckets);
    // With all weights trained no weight is frozen, so both layouts are the same graph: not estimated twice.
    if (!memory.fits && backwardWeights === 'stored' && !isAllWeights(lora)) {
      const single = estimate('per-step', lengthBuckets);
      if (single.fits || single.peakBytes < memory.peakBytes) [backwardWeights, memory] = ['per-step', single];
    }
    return { backwardWeights, memory };
  };
  const off = [setup.seqLen];
  let lengthBuckets = setup.lengthBuckets === undefined ? defaultLengthBuckets(setup.seqLen) : resolveLengthBuckets(setup.lengthBuckets, setup.seqLen);
  let plan = layout(lengthBuckets);
  if (setup.lengthBuckets === undefined && lengthBuckets.length > 1) {
    const copies = setup.ep === 'webgpu' ? 0 : (lengthBuckets.length - 1) * plan.memory.parts.weights;
    if (copies > CPU_BUCKET_WEIGHT_BYTES) [lengthBuckets, plan] = [off, layout(off)];
    else if (!plan.memory.fits) {
      const without = layout(off);
      if (without.memory.fits) [lengthBuckets, plan] = [off, without];
    }
  }
  return { lora, micro, lossChunkBytes, ...plan, lengthBuckets };
}

/**
 * Whether the train step runs with WebGPU graph capture: on WebGPU unless the setup says no, and never with all weights
 * trained, whose train step onnxruntime-web's WebGPU EP does not take whole (a node of it goes to the CPU EP, and a
 * captured session must have none: "all compute graph nodes have not been partitioned to the JsExecutionProvider").
 * Uncaptured, the same graph runs on the GPU with the CPU node between, at the cost of a dispatch per kernel per step.
 */
export function capturesGraph(setup: Pick<TrainingSetup, 'ep' | 'graphCapture' | 'allWeights'>): boolean {
  return setup.ep === 'webgpu' && (setup.graphCapture ?? true) && !setup.allWeights;
}

/** An adapter's LoRA tensors for this model and these LoRA settings; an EngineError names what does not match. */
export function adapterTensors(adapter: PeftAdapter, model: Pick<LoadedModel, 'config'>, lora: LoraSpec): Map<string, Float32Array> {
  const read = readPeftAdapter(adapter, model.config);
  if (read.spec.r !== lora.r || read.spec.targets.join() !== lora.targets.join()) {
    throw new EngineError('config', `the adapter has r=${read.spec.r} on ${read.spec.targets.join(', ')}; the LoRA settings say r=${lora.r} on ${lora.targets.join(', ')}`);
  }
  return read.tensors;
}

/**
 * A prepared training setup: the artifacts for its shapes, the backend, and the trainer whose state (adapter and
 * AdamW moments) lives on the device between calls. One optimizer step takes batchSize examples in
 * ceil(batchSize / micro) micro-batches whose gradients accumulate (runtime/trainer.ts), so the update does not
 * depend on how much fits at once.
 */
export class TrainingRun {
  private constructor(
    private readonly model: LoadedModel,
    readonly setup: TrainingSetup,
    readonly lora: TrainedSpec,
    private readonly micro: number,
    private readonly lengthBuckets: readonly number[],
    private readonly handle: BackendHandle,
    private readonly trainer: Trainer,
    readonly info: TrainingInfo,
  ) {}

  static async create(model: LoadedModel, setup: TrainingSetup, backends: BackendProvider, signal?: AbortSignal): Promise<TrainingRun> {
    const { lora, micro, lossChunkBytes, backwardWeights, lengthBuckets, memory } = await planTraining(model, setup, backends);
    if (!memory.fits) throw new EngineError('out-of-memory', `this setup needs about ${mib(memory.peakBytes)} of GPU memory, more than this device allows: ${memory.advice.join('; ') || 'choose smaller shapes'}`);
    const adapter = setup.adapter && !isAllWeights(lora) ? adapterTensors(setup.adapter, model, lora) : undefined;
    throwIfCancelled(signal);
    const start = performance.now();
    // One layout of the weights plus the head's second one (frozen-layout.ts), as float32.
    const weightBytes = (model.info.parameters * (backwardWeights === 'stored' ? 2 : 1) + model.config.vocabSize * model.config.hiddenSize) * 4;
    const options: ArtifactsOptions = {
      config: model.config,
      lora,
      batchSize: micro,
      seqLen: setup.seqLen,
      weights: model.weights,
      weightsPlacement: setup.ep === 'webgpu' || weightBytes > INLINE_WEIGHTS_LIMIT ? 'inputs' : 'initializers',
      seed: setup.seed ?? 0,
      maxGradNorm: setup.maxGradNorm === undefined ? 1 : setup.maxGradNorm,
      ...(setup.weightDecay === undefined ? {} : { adamw: { weightDecay: setup.weightDecay } }),
      ...(adapter ? { adapter } : {}),
      lossChunkBytes,
      backwardWeights,
      ...(setup.splitSums === undefined ? {} : { splitSums: setup.splitSums }),
      // The accumulate and apply graphs only when a step has several micro-batches (two more graphs to build).
      accumulation: micro < setup.batchSize,
    };
    let artifacts: TrainingArtifacts = buildTrainingArtifacts(options);
    if (setup.checkpoint) artifacts = resumed(artifacts, setup.checkpoint, { model: model.info.label, lora });
    const buildMs = performance.now() - start;
    const handle = await backends.open(setup.ep, setup.wasmThreads === undefined ? {} : { wasmThreads: setup.wasmThreads });
    const sessionStart = performance.now();
    let trainer: Trainer;
    try {
      // Each bucket's graphs are built at its first batch (a step that waits for it once).
      const buckets = lengthBuckets.length === 1 ? {} : { lengthBuckets: { lengths: lengthBuckets, graphs: (seqLen: number) => buildStepGraphs(options, seqLen) } };
      trainer = await Trainer.create(handle.backend, artifacts, { graphCapture: capturesGraph(setup), ...buckets });
    } catch (error) {
      await handle.backend.dispose();
      handle.release();
      throw asEngineError(error);
    }
    const info: TrainingInfo = {
      memory,
      trainableParameters: artifacts.state.get(artifacts.manifest.adapter.input)!.length,
      step: artifacts.manifest.state.step,
      microBatches: Math.ceil(setup.batchSize / micro),
      lengthBuckets,
      stats: {
        trainStepNodes: artifacts.stats.trainStepNodes,
        trainStepKernels: artifacts.stats.trainStepKernels,
        trainStepProductFlops: artifacts.stats.trainStepProductFlops,
        trainStepLossChunks: artifacts.stats.trainStepLossChunks,
        buildMs: Math.round(buildMs),
        sessionMs: Math.round(performance.now() - sessionStart),
      },
    };
    return new TrainingRun(model, setup, lora, micro, lengthBuckets, handle, trainer, info);
  }

  get step(): number {
    return this.trainer.completedSteps;
  }

  private sequences(examples: readonly TrainExample[]): TokenSequence[] {
    return toSequences(examples, {
      tokenizer: this.model.tokenizer,
      eosTokenId: this.model.info.eosTokenIds[0] ?? null,
      vocabSize: this.model.config.vocabSize,
      seqLen: this.setup.seqLen,
    });
  }

  /** A step's micro-batches, each padded to its length bucket (evaluation's to seqLen, the forward graph's length). */
  private microBatches(sequences: readonly TokenSequence[], bucketed: boolean): Batch[] {
    const buckets = bucketed && this.lengthBuckets.length > 1 ? { buckets: this.lengthBuckets } : {};
    return packMicroBatches(sequences, { microBatchSize: this.micro, seqLen: this.setup.seqLen, ...buckets, padTokenId: this.model.info.padTokenId ?? 0 });
  }

  /**
   * Steps are queued without waiting for each loss (the GPU runs step k while the host packs step k + 1); progress
   * is reported as each loss comes back, in order. Cancellation is checked before each step is queued.
   */
  async train(request: TrainRequest, options: { signal?: AbortSignal; onProgress?: (p: TrainProgress) => void } = {}): Promise<TrainResult> {
    if (!Number.isInteger(request.steps) || request.steps < 1) throw new EngineError('usage', `steps must be a positive whole number, not ${request.steps}`);
    if (request.examples.length === 0) throw new EngineError('usage', 'the training set is empty');
    const done = this.trainer.completedSteps;
    const runLength = request.totalSteps ?? done + request.steps;
    if (!Number.isInteger(runLength) || runLength < done + request.steps) throw new EngineError('usage', `totalSteps (${runLength}) is less than the ${done} steps done plus the ${request.steps} asked for`);
    const sequences = this.sequences(request.examples);
    const seed = request.seed ?? this.setup.seed ?? 0;
    const start = performance.now();
    const losses: Promise<number>[] = [];
    let diverged: EngineError | null = null;
    try {
      for (let s = done + 1; s <= done + request.steps; s++) {
        if (diverged) break;
        if (options.signal?.aborted) throw new EngineError('cancelled', `cancelled after ${s - 1 - done} of ${request.steps} steps`);
        const rows = batchIndices(sequences.length, this.setup.batchSize, seed, s).map((i) => sequences[i]!);
        const batches = this.microBatches(rows, true);
        const tokens = batches.reduce((sum, b) => sum + total(b.attention_mask), 0);
        const positions = batches.reduce((sum, b) => sum + b.batchSize * b.seqLen, 0);
        const lr = learningRate(request.lr, s, runLength);
        const step = await this.trainer.step(batches.length === 1 ? batches[0]! : batches, { lr });
        const loss = step.loss!.then((value) => {
          if (!Number.isFinite(value)) {
            diverged ??= new EngineError('diverged', `the loss at step ${s} is ${value}: training stopped (a lower learning rate, or resume from an earlier checkpoint)`);
            throw diverged;
          }
          options.onProgress?.({ step: s, steps: runLength, loss: value, lr, tokens, positions, elapsedMs: performance.now() - start });
          return value;
        });
        losses.push(loss);
        // Steps are queued without waiting for their losses; a diverged one is seen a few steps late, and stops the rest.
        loss.catch(() => undefined);
      }
    } catch (error) {
      // Steps already queued settle first (a lost device rejects them too): none is left unhandled.
      await Promise.allSettled(losses);
      throw error;
    }
    return { losses: await Promise.all(losses), step: this.trainer.completedSteps };
  }

  /** Mean loss over the completion tokens of all examples: each micro-batch's mean weighted by its token count. */
  async evaluate(examples: readonly TrainExample[]): Promise<{ loss: number; tokens: number }> {
    let sum = 0;
    let tokens = 0;
    for (const batch of this.microBatches(this.sequences(examples), false)) {
      const n = total(batch.loss_mask);
      if (n === 0) continue;
      const { loss } = await this.trainer.evaluate(batch);
      sum += loss * n;
      tokens += n;
    }
    if (tokens === 0) throw new EngineError('usage', 'no completion tokens to evaluate on');
    return { loss: sum / tokens, tokens };
  }

  /** The adapter, AdamW moments and step, to resume from (TrainingSetup.checkpoint). */
  async readCheckpoint(): Promise<TrainingCheckpoint> {
    return writeCheckpoint(await this.trainer.readState(), this.trainer.completedSteps, { model: this.model.info.label, lora: this.lora });
  }

  /** The trained tensors as they are now, by PEFT name (checkpoint name for all weights), for inference with them. */
  async adapterWeights(): Promise<Map<string, Float32Array>> {
    const tensors = await this.trainer.readAdapter();
    return new Map([...tensors].map(([name, data]) => [name, data instanceof Float32Array ? data : Float32Array.from(data)]));
  }

  /** The backend and the device-resident frozen weights, for inference on the same device. */
  shared(): SharedTraining {
    return { backend: this.handle.backend, weights: this.trainer.residentWeights() };
  }

  async readAdapter(): Promise<PeftAdapter> {
    if (isAllWeights(this.lora)) throw new EngineError('usage', ALL_WEIGHTS_NO_ADAPTER);
    return writePeftAdapter(await this.trainer.readAdapter(), this.model.config, this.lora, this.model.base);
  }

  async dispose(): Promise<void> {
    await this.trainer.dispose();
    await this.handle.backend.dispose();
    this.handle.release();
  }
}

/** The artifacts with a checkpoint's state and step in place of the initial ones (checked against the setup). */
function resumed(artifacts: TrainingArtifacts, checkpoint: TrainingCheckpoint, identity: CheckpointIdentity): TrainingArtifacts {
  if (!Number.isInteger(checkpoint.step) || checkpoint.step < 0) throw new EngineError('config', `a checkpoint's step must be a whole number >= 0, not ${checkpoint.step}`);
  const state = readCheckpoint(checkpoint, identity, new Map([...artifacts.state].map(([name, data]) => [name, data.length])));
  return { ...artifacts, state, manifest: { ...artifacts.manifest, state: { ...artifacts.manifest.state, step: checkpoint.step } } };
}

function total(values: Float32Array | Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
