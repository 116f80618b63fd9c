import { bytesPerElement } from '../graph/dtype.ts';
import { Graph, type Tensor } from '../graph/ir.ts';
import { causalAttention, attentionBias } from '../graph/nn/attention.ts';
import { cachedAttention } from '../graph/nn/cached-attention.ts';
import { lossChunks, LOSS_CHUNK_BYTES, tokenLogProbs } from '../graph/nn/loss.ts';
import { linear } from '../graph/nn/lora.ts';
import { emitOnnx, liveNodes } from '../graph/onnx/emit.ts';
import { matmul, mul, reshape } from '../graph/builders.ts';
import type { BaseWeights } from './base-weights.ts';
import { ADAPTER_INPUT, buildDecoderBody, checkCausalLMSpec, ropeOptions, type CausalLMSpec, type DecoderBody, type ModelDType } from './causal-lm.ts';
import type { ModelConfig } from './config.ts';
import type { LoraSpec } from './lora.ts';
import { trainedParameters, type TrainedSpec } from './trained-weights.ts';
import { packAdapter, type ArtifactsManifest } from './manifest.ts';
import { sizeOf } from '../graph/shape.ts';
import { ConfigError } from './config-error.ts';

/**
 * The inference graphs (DESIGN.md: "scoring, prefill/decode"), from the same decoder as the train step
 * (causal-lm.ts buildDecoderBody), reading the frozen weights in the forward layouts only:
 *
 *   scoring  input_ids, attention_mask, labels, loss_mask [B, T] (as batch.ts packs them), adapter, weights
 *            -> token_logprobs [B, T]: log P(labels[t] | tokens <= t) where loss_mask is 1, else 0. The head runs in
 *            row chunks (tokenLogProbs): no [B, T, V] tensor is made or returned.
 *   decode   input_ids, position_ids (int64), positions (float), last_mask [B, K], adapter, weights, and per layer
 *            past_key.N [B, KV, D, C], past_value.N [B, KV, C, D]
 *            -> logits [B, V] of the row last_mask picks (one 1 per batch row), present_key.N, present_value.N: the
 *            cache with the K tokens written at their positions (graph/nn/cached-attention.ts). K > 1 is a prefill
 *            chunk, K = 1 a decoded token; the caller feeds each run's present_* back as the next run's past_*, so the
 *            cache stays where the session keeps its outputs (GPU buffers on WebGPU).
 * Shapes are static (B, T; B, K, C): a session per shape, which the engine keeps while it is used.
 */

export const TOKEN_LOGPROBS_OUTPUT = 'token_logprobs';
export const LOGITS_OUTPUT = 'logits';
export const DECODE_INPUTS = ['input_ids', 'position_ids', 'positions', 'last_mask'] as const;
export const pastKey = (layer: number) => `past_key.${layer}`;
export const pastValue = (layer: number) => `past_value.${layer}`;
export const presentKey = (layer: number) => `present_key.${layer}`;
export const presentValue = (layer: number) => `present_value.${layer}`;

export interface InferenceGraph {
  readonly onnx: Uint8Array;
  /** The frozen weights the graph reads, by input name (empty when they are initializers). */
  readonly weightInputs: readonly string[];
  readonly nodes: number;
}

export interface InferenceBuildOptions {
  /** Frozen weights as graph inputs (shared across sessions; WebGPU) or as initializers with data (`weights` needed). */
  readonly weightsAsInputs: boolean;
  /** The scoring head's row chunks' [rows, V] bytes at most; default LOSS_CHUNK_BYTES. */
  readonly chunkBytes?: number;
}

function emit(g: Graph, body: DecoderBody, options: InferenceBuildOptions): InferenceGraph {
  const live = liveNodes(g);
  const read = new Set(live.flatMap((n) => n.inputs));
  const weightInputs = options.weightsAsInputs ? body.frozen.filter((t) => read.has(t)).map((t) => t.name) : [];
  return { onnx: emitOnnx(g, { initializersAsInputs: options.weightsAsInputs, producerName: 'fiat-studio' }), weightInputs, nodes: live.length };
}

function graphWeights(weights: BaseWeights | undefined, options: InferenceBuildOptions): BaseWeights | undefined {
  if (options.weightsAsInputs) return undefined;
  if (weights === undefined) throw new Error('inference graph: weights as initializers need the weights');
  return weights;
}

/** The scoring graph for batches of B x T (CausalLMSpec's batchSize, seqLen). */
export function buildScoringGraph(spec: CausalLMSpec, weights: BaseWeights | undefined, options: InferenceBuildOptions): InferenceGraph {
  checkCausalLMSpec(spec);
  const { config, batchSize: b, seqLen: t } = spec;
  const dtype = spec.dtype ?? 'float32';
  const g = new Graph('score');
  const inputIds = g.input('input_ids', 'int64', [b, t]);
  const attentionMask = g.input('attention_mask', dtype, [b, t]);
  const labels = g.input('labels', dtype, [b, t]);
  const lossMask = g.input('loss_mask', dtype, [b, t]);
  const attention = { nHeads: config.numAttentionHeads, nKvHeads: config.numKeyValueHeads, headDim: config.headDim, bias: attentionBias(attentionMask), ...ropeOptions(config) };
  const body = buildDecoderBody(g, spec, graphWeights(weights, options), inputIds, (_layer, q, k, v) => causalAttention(q, k, v, attention));
  const chunks = lossChunks(b * t, config.vocabSize, bytesPerElement[dtype], options.chunkBytes ?? LOSS_CHUNK_BYTES);
  g.output(TOKEN_LOGPROBS_OUTPUT, mul(tokenLogProbs(body.hidden, body.head, labels, chunks), lossMask));
  return emit(g, body, options);
}

export interface DecodeSpec extends Omit<CausalLMSpec, 'seqLen'> {
  /** K: tokens per run (1 to decode, a chunk to prefill). */
  readonly length: number;
  /** C: positions the cache holds (the prompt and every new token). */
  readonly cacheLength: number;
}

/** The prefill/decode graph for B rows of K new tokens against a cache of C positions. */
export function buildDecodeGraph(spec: DecodeSpec, weights: BaseWeights | undefined, options: InferenceBuildOptions): InferenceGraph {
  const { config, batchSize: b, length: k, cacheLength: c } = spec;
  checkCausalLMSpec({ ...spec, seqLen: c });
  if (!Number.isInteger(k) || k < 1 || k > c) throw new ConfigError('generation', 'length', `tokens per run must be 1..${c} (the cache length), got ${k}`);
  const dtype = spec.dtype ?? 'float32';
  const g = new Graph('decode');
  const inputIds = g.input('input_ids', 'int64', [b, k]);
  const positionIds = g.input('position_ids', 'int64', [b, k]);
  const positions = g.input('positions', dtype, [b, k]);
  const lastMask = g.input('last_mask', dtype, [b, k]);
  const kv = config.numKeyValueHeads;
  const d = config.headDim;
  const presents: [Tensor, Tensor][] = [];
  const body = buildDecoderBody(g, spec, graphWeights(weights, options), inputIds, (layer, q, key, value) => {
    const past = { pastKeyT: g.input(pastKey(layer), dtype, [b, kv, d, c]), pastValue: g.input(pastValue(layer), dtype, [b, kv, c, d]) };
    const attended = cachedAttention(q, key, value, { nHeads: config.numAttentionHeads, nKvHeads: kv, headDim: d, positionIds, positions, ...past, ...ropeOptions(config) });
    presents.push([attended.keyT, attended.value]);
    return attended.out;
  });
  // The last row's hidden state (norms are per row, so selecting after the final norm is the same), then the head.
  const h = config.hiddenSize;
  const last = reshape(matmul(reshape(lastMask, [b, 1, k]), body.hidden), [b, h]);
  g.output(LOGITS_OUTPUT, linear(last, body.head));
  presents.forEach(([keyT, value], layer) => {
    g.output(presentKey(layer), keyT);
    g.output(presentValue(layer), value);
  });
  return emit(g, body, options);
}

/** The packed adapter input's layout for a LoRA spec or all weights (trainedParameters order, as the graphs unpack it). */
export function adapterLayout(config: ModelConfig, lora: TrainedSpec): Pick<ArtifactsManifest, 'adapter'> {
  let offset = 0;
  const tensors = trainedParameters(config, lora).map((p) => {
    const entry = { name: p.name, offset, shape: [...p.shape] };
    offset += sizeOf(p.shape);
    return entry;
  });
  return { adapter: { input: ADAPTER_INPUT, tensors } };
}

/**
 * The LoRA spec of a graph that runs the base model alone: rank 1 on q with B = 0 (NO_ADAPTER_SPEC's zeros), whose
 * branch adds exactly 0, so one graph builder serves with and without an adapter.
 */
export const NO_ADAPTER_SPEC: LoraSpec = { r: 1, alpha: 1, targets: ['q'], dropout: 0 };

/** The packed adapter for `tensors` (PEFT names; checkpoint names for all weights), or zeros for NO_ADAPTER_SPEC when `tensors` is null. */
export function packedAdapter(config: ModelConfig, lora: TrainedSpec, tensors: ReadonlyMap<string, Float32Array> | null, dtype: ModelDType = 'float32'): Float32Array | Float64Array {
  const layout = adapterLayout(config, lora);
  if (tensors !== null) return packAdapter(layout, tensors, dtype);
  const last = layout.adapter.tensors.at(-1)!;
  const size = last.offset + sizeOf(last.shape);
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}
