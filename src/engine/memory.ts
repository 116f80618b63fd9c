import { bytesPerElement } from '../graph/dtype.ts';
import type { Tensor } from '../graph/ir.ts';
import { LOSS_CHUNK_BYTES } from '../graph/nn/loss.ts';
import { liveNodes } from '../graph/onnx/emit.ts';
import { sizeOf } from '../graph/shape.ts';
import { buildTrainStepGraph } from '../models/artifacts.ts';
import type { ModelConfig } from '../models/config.ts';
import type { BackwardWeights } from '../models/frozen-layout.ts';
import type { TrainedSpec } from '../models/trained-weights.ts';
import { jsepBufferBytes, largestJsepBufferWithin, padded16 } from '../runtime/jsep-buffers.ts';
import { runMemory } from '../runtime/run-memory.ts';
import { memoryAdvice } from './memory-advice.ts';
import type { DeviceLimits, MemoryEstimate } from './engine.ts';

/**
 * The memory a train step (LoRA, or all weights) takes on onnxruntime-web's WebGPU EP (JSEP), before anything is built or uploaded.
 *
 * What is counted: the peak of live GPU buffers over two train steps of the train-step session: the frozen base
 * weights (graph inputs uploaded once, exact size), the packed adapter and its AdamW moments (uploaded once, and
 * their updated copies, which each step outputs, in JSEP's buffer sizes), the session's constants, and every
 * intermediate tensor in the buffer JSEP gives it, free-listed buffers included (runtime/run-memory.ts: a replay
 * fitted to measured peaks; bench/engine/README.md has the rows: all 8 within -6% and +10%, with a recycling window
 * fitted to them, run-memory.ts NODES_PER_RECYCLE). Not counted: the forward session, which the engine makes
 * only to evaluate; it shares the weights, and JSEP's free lists are shared, but its whole [B, T, V] logits are more than the train step's loss
 * chunks.
 *
 * Length buckets (length-buckets.ts): each bucket's train step is its own session. Uncaptured, a session's intermediate
 * buffers go back to JSEP's free lists when its run ends, and the longest bucket (seqLen) sets the peak, so buckets
 * add nothing. Captured, every bucket's session keeps its intermediates and its fixed output tensors allocated (the
 * state and weights tensors are shared), so each bucket below seqLen adds its activations and one set of state-sized
 * outputs, each from that bucket's own graph. What the accumulate sessions keep is not counted (as before buckets).
 *
 * How: the train step's graph is built as the artifacts build it (models/artifacts.ts buildTrainStepGraph), so
 * whatever that graph becomes (accumulation, other weight layouts), the estimate follows. Building all layers
 * takes seconds for a 30-layer model, so a model of more than 4 layers is built with 1 and with 4 (its layers are
 * identical) and every figure is extrapolated linearly in the layer count. The replayed peak does not grow evenly
 * with the layers (which tensors share a recycling window shifts), so the line through two samples was within about
 * -11% and +13% of replaying the whole graph for the 135M and 0.5B shapes of bench/engine/README.md (measured with
 * the earlier 16-node window, not since). bench/engine/memory.ts compares the estimate with the peak measured on WebGPU.
 */

export interface MemorySetup {
  /** A LoRA adapter, or every weight (the state is then the whole model and its moments, and no weight is frozen). */
  readonly lora: TrainedSpec;
  readonly microBatchSize: number;
  readonly seqLen: number;
  /**
   * The train step's loss chunk bytes; default lossChunkBytesFor(limits), which is what the artifacts for this
   * device must then be built with (buildTrainingArtifacts' lossChunkBytes) for the estimate to be theirs.
   */
  readonly lossChunkBytes?: number;
  readonly splitSums?: boolean;
  readonly graphCapture?: boolean;
  /** How the backward reads the frozen matrices (models/frozen-layout.ts); default 'stored', as the artifacts. */
  readonly backwardWeights?: BackwardWeights;
  /** The length buckets (ascending, seqLen the last; length-buckets.ts); default [seqLen]. */
  readonly lengthBuckets?: readonly number[];
}

/** The layer counts the estimate builds for a model of more layers than the second. */
const SAMPLED_LAYERS = [1, 4] as const;

/**
 * The train step's loss chunk bytes for a device: LOSS_CHUNK_BYTES, or less when a chunk's [rows, V] tensor in its
 * JSEP buffer (a bucket) would exceed the device's largest buffer or storage binding.
 */
export function lossChunkBytesFor(limits: DeviceLimits | null): number {
  if (limits === null) return LOSS_CHUNK_BYTES;
  const limit = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  return Math.min(LOSS_CHUNK_BYTES, largestJsepBufferWithin(limit));
}

export interface TrainStepMemory {
  readonly peak: number;
  readonly weights: number;
  /** Bytes of each state tensor (the packed adapter, its two moments). */
  readonly stateBytes: readonly number[];
  readonly largestBuffer: number;
}

/** The state fed in (exact size) and the state a step outputs (JSEP's buffers) are both live while it runs. */
const stateFootprint = (stateBytes: readonly number[]): number => stateBytes.reduce((a, b) => a + padded16(b) + jsepBufferBytes(b), 0);

/** The train step's memory from its graph with all of the config's layers (what the estimate extrapolates). */
export function trainStepMemory(config: ModelConfig, setup: MemorySetup, lossChunkBytes: number): TrainStepMemory {
  const { train, step } = buildTrainStepGraph({
    config,
    lora: setup.lora,
    batchSize: setup.microBatchSize,
    seqLen: setup.seqLen,
    lossChunkBytes,
    ...(setup.splitSums === undefined ? {} : { splitSums: setup.splitSums }),
    ...(setup.backwardWeights === undefined ? {} : { backwardWeights: setup.backwardWeights }),
  });
  const graph = train.graph;
  const nodes = liveNodes(graph);
  const used = new Set(nodes.flatMap((n) => n.inputs));
  const weights = train.frozen.filter((t) => used.has(t)); // the emitted graph's weight inputs
  const inputByName = new Map(graph.inputs.map((t) => [t.name, t]));
  const outputByName = new Map(graph.outputs.map((o) => [o.name, o.tensor]));
  const carried = new Map<Tensor, Tensor>();
  for (const s of step.state) {
    for (const [out, into] of [[s.paramOut, s.param], [s.mOut, s.m], [s.vOut, s.v]] as const) carried.set(outputByName.get(out)!, inputByName.get(into)!);
  }
  const state = [...carried.values()];
  const run = runMemory({ graph, nodes, resident: new Set([...weights, ...state]), carried, steps: 2, graphCapture: setup.graphCapture ?? false });
  const bytes = (t: Tensor) => sizeOf(t.shape) * bytesPerElement[t.dtype];
  return {
    peak: run.peakBytes,
    weights: weights.reduce((a, t) => a + padded16(bytes(t)), 0),
    stateBytes: state.map(bytes),
    largestBuffer: run.largestBufferBytes,
  };
}

/** trainStepMemory of the whole model: built with all its layers, or extrapolated from SAMPLED_LAYERS (see the top). */
function modelStepMemory(config: ModelConfig, setup: MemorySetup, lossChunkBytes: number): TrainStepMemory {
  const layers = config.numHiddenLayers;
  let peak: number, weights: number, stateBytes: readonly number[], largestBuffer: number;
  if (layers <= SAMPLED_LAYERS[1]) ({ peak, weights, stateBytes, largestBuffer } = trainStepMemory(config, setup, lossChunkBytes));
  else {
    // Weights and state grow exactly linearly with the layers; the activations are extrapolated on the same line.
    const [l0, l1] = SAMPLED_LAYERS;
    const [fewer, more] = SAMPLED_LAYERS.map((n) => trainStepMemory({ ...config, numHiddenLayers: n }, setup, lossChunkBytes)) as [TrainStepMemory, TrainStepMemory];
    const at = (x0: number, x1: number) => Math.round(x0 + ((layers - l0) * (x1 - x0)) / (l1 - l0));
    const activations = (m: TrainStepMemory) => m.peak - m.weights - stateFootprint(m.stateBytes);
    weights = at(fewer.weights, more.weights);
    stateBytes = fewer.stateBytes.map((b, i) => at(b, more.stateBytes[i]!));
    peak = weights + stateFootprint(stateBytes) + at(activations(fewer), activations(more));
    largestBuffer = Math.max(more.largestBuffer, ...stateBytes.map(jsepBufferBytes));
  }
  return { peak, weights, stateBytes, largestBuffer };
}

export function estimateTrainingMemory(config: ModelConfig, setup: MemorySetup, limits: DeviceLimits | null, budgetBytes: number | null): MemoryEstimate {
  const lossChunkBytes = setup.lossChunkBytes ?? lossChunkBytesFor(limits);
  const step = modelStepMemory(config, setup, lossChunkBytes);
  const { weights, stateBytes, largestBuffer } = step;
  let peak = step.peak;
  if (setup.graphCapture) {
    // Each captured bucket below seqLen keeps its intermediates and its own outputs (see the top).
    for (const seqLen of (setup.lengthBuckets ?? []).filter((l) => l < setup.seqLen)) {
      const bucket = modelStepMemory(config, { ...setup, seqLen }, lossChunkBytes);
      peak += bucket.peak - bucket.weights - stateFootprint(bucket.stateBytes) + bucket.stateBytes.reduce((a, b) => a + jsepBufferBytes(b), 0);
    }
  }
  const adapterAndOptimizer = stateFootprint(stateBytes);
  const parts = { weights, adapterAndOptimizer, activations: peak - weights - adapterAndOptimizer };
  const estimate = { peakBytes: peak, parts, largestBufferBytes: largestBuffer, limits, budgetBytes };
  const advice = memoryAdvice(config, setup, estimate);
  return { ...estimate, fits: advice === null, advice: advice ?? [] };
}
