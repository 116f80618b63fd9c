import { add, gather, mul, reshape } from '../graph/builders.ts';
import { bytesPerElement } from '../graph/dtype.ts';
import { Graph, type Tensor } from '../graph/ir.ts';
import { silu } from '../graph/nn/activations.ts';
import { attentionBias, causalAttention } from '../graph/nn/attention.ts';
import { linearCrossEntropy, lossChunks, maskedCrossEntropy } from '../graph/nn/loss.ts';
import { linear, linears, stackedLinears, type LoraBranch } from '../graph/nn/lora.ts';
import { rmsNorm } from '../graph/nn/norm.ts';
import { packedParams, type PackedParams } from '../graph/optim/packed-train-step.ts';
import type { BaseWeights } from './base-weights.ts';
import { ConfigError } from './config-error.ts';
import { checkpointParameters, projectionModuleName, qkNormNames, ropeInverseFrequencies } from './architecture.ts';
import type { ModelConfig, Projection } from './config.ts';
import { frozenTensors, headNames, layOut, stackNames, transposePairs, type BackwardWeights } from './frozen-layout.ts';
import { loraParameters, loraTensorNames } from './lora.ts';
import { isAllWeights, type TrainedSpec } from './trained-weights.ts';

/**
 * LlamaForCausalLM, Qwen2ForCausalLM and Qwen3ForCausalLM (they differ only in what ModelConfig already says:
 * biases, Qwen3's q/k norms, head_dim, defaults) as a graph with PEFT LoRA on the chosen projections, following
 * transformers' modeling_llama.py / modeling_qwen2.py / modeling_qwen3.py and peft's tuners/lora/layer.py:
 *
 *   h = embed_tokens[input_ids]
 *   per layer: h += o_proj(attention(rope(q_proj(n1)), rope(k_proj(n1)), v_proj(n1))), n1 = input_layernorm(h)
 *              (Qwen3: rope(q_norm(q_proj(n1))), rope(k_norm(k_proj(n1))), the norms per head over head_dim)
 *              h += down_proj(silu(gate_proj(n2)) * up_proj(n2)),                       n2 = post_attention_layernorm(h)
 *   logits = lm_head(norm(h))   (lm_head = embed_tokens when tie_word_embeddings)
 *   loss = maskedCrossEntropy(logits, labels, loss_mask)  (graph/nn/loss.ts: the fixture contract; with
 *          options.lossChunkBytes the same loss by linearCrossEntropy, in row chunks without [B, T, V] logits)
 *
 * Graph inputs (names are the contract with runtime/ and the artifacts manifest):
 *   input_ids int64 [B, T]; attention_mask, labels, loss_mask float [B, T] (see BATCH_INPUTS);
 *   `adapter` [P]: every LoRA tensor, packed back to back in loraParameters order (graph/optim/packed-train-step.ts;
 *   the layout names each part by its PEFT name, "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").
 *   With all weights trained (trained-weights.ts) `adapter` holds every checkpoint tensor instead, by checkpoint name,
 *   and there are no frozen weights: each projection's product stacks and transposes its weights in the graph, each
 *   step (graph/nn/lora.ts linears), and the head's product transposes the head (the embedding when tied).
 * Base weights are initializers in the layouts the products read (frozen-layout.ts: W^T stacked per product, the
 * head's [H, V], and the [out, in] layouts x's gradient reads), made from the checkpoint's tensors; with data when
 * `weights` (checkpoint names) is given, without (to be emitted as graph inputs) otherwise. No Transpose or
 * Concat of a frozen weight runs per step, but with options.backwardWeights 'per-step' (a Transpose per layer
 * matrix in the backward pass).
 */

export type ModelDType = 'float32' | 'float64';

export interface CausalLMSpec {
  readonly config: ModelConfig;
  /** The LoRA adapter the graphs read and train, or every weight (trained-weights.ts ALL_WEIGHTS). */
  readonly lora: TrainedSpec;
  readonly batchSize: number;
  readonly seqLen: number;
  /** float64 is for gradient checks against a float64 reference; training runs in float32. Default float32. */
  readonly dtype?: ModelDType;
}

/** The batch inputs of every graph the builder makes, in order. input_ids is int64 (Gather indices); the rest are float. */
export const BATCH_INPUTS = ['input_ids', 'attention_mask', 'labels', 'loss_mask'] as const;
export type BatchInputName = (typeof BATCH_INPUTS)[number];

/** The name of the packed LoRA input. */
export const ADAPTER_INPUT = 'adapter';

export interface CausalLMGraph {
  readonly graph: Graph;
  readonly batch: Readonly<Record<BatchInputName, Tensor>>;
  /** The packed LoRA input and its parts (views, in loraParameters order, named in the layout by PEFT name). */
  readonly adapter: PackedParams;
  /** Frozen weights (initializers) as frozen-layout.ts lays them out, in its order; a graph may not read all of them. */
  readonly frozen: readonly Tensor[];
  readonly logits: Tensor;
  readonly loss: Tensor;
  /** The row counts the loss runs in (linearCrossEntropy), or null when it is computed from `logits`. */
  readonly lossChunks: readonly number[] | null;
  /** The final norm's output [B, T, hidden] and the head [V, hidden] the logits are made from. */
  readonly hidden: Tensor;
  readonly head: Tensor;
}

export interface CausalLMOptions {
  /**
   * Compute the loss for training: the logits in row chunks of at most this many bytes each, with x's gradient
   * at the head taken chunk by chunk in the forward pass (graph/nn/loss.ts linearCrossEntropy), so that no
   * [B, T, V] tensor exists. `logits` is then not what the loss is computed from (leave it out of the outputs).
   * Omitted: loss = maskedCrossEntropy(logits, ...).
   */
  readonly lossChunkBytes?: number;
  /** Whether long sums with few GPU tiles are split (graph/ir.ts GraphOptions.splitSums); default true. */
  readonly splitSums?: boolean;
  /**
   * Divide the loss by the scalar input LOSS_DENOMINATOR_INPUT (the model's dtype) instead of max(sum(loss_mask), 1):
   * the graph's loss is then a micro-batch's part of a larger batch's loss (gradient accumulation, artifacts.ts).
   */
  readonly lossDenominator?: boolean;
  /**
   * Whether x's gradient reads the layers' frozen matrices from copies stored in its layout ('stored', the default:
   * no Transpose per step, the matrices twice in memory) or transposes them each step ('per-step'). See
   * frozen-layout.ts. Graphs that share weight inputs must be built with the same choice.
   */
  readonly backwardWeights?: BackwardWeights;
}

/** The scalar input of graphs built with `lossDenominator`: the whole batch's max(sum(loss_mask), 1). */
export const LOSS_DENOMINATOR_INPUT = 'loss_denominator';

/** Float32 labels hold token ids exactly up to 2^24 (graph/nn/loss.ts picks the target with a float Equal). */
const MAX_FLOAT32_VOCAB = 2 ** 24;

/** Throws a ConfigError for what the builder cannot compute, naming the setting at fault. */
export function checkCausalLMSpec(spec: CausalLMSpec): void {
  const { config, lora, batchSize, seqLen } = spec;
  const dtype = spec.dtype ?? 'float32';
  if (!isAllWeights(lora) && lora.dropout > 0) throw new ConfigError('LoRA settings', 'dropout', `LoRA dropout ${lora.dropout} is not supported (the graph has no dropout; use 0)`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('batch', 'batch', `batch size must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new ConfigError('batch', 'seq', `sequence length must be a positive integer, got ${seqLen}`);
  if (seqLen > config.maxPositionEmbeddings) {
    throw new ConfigError('batch', 'seq', `sequence length ${seqLen} exceeds the model's max_position_embeddings (${config.maxPositionEmbeddings})`);
  }
  if (dtype === 'float32' && config.vocabSize > MAX_FLOAT32_VOCAB) {
    throw new ConfigError('config.json', 'vocab_size', `${config.vocabSize} token ids are not exact in float32 labels (at most 2^24)`);
  }
}

function convert(data: Float32Array, dtype: ModelDType): Float32Array | Float64Array {
  return dtype === 'float32' ? data : Float64Array.from(data);
}

/** Qwen3's q_norm / k_norm: RMSNorm over each head's head_dim of x [B, T, heads * D], by weight [D]. */
function headNorm(x: Tensor, weight: Tensor, eps: number): Tensor {
  const [b, t, width] = x.shape as [number, number, number];
  const d = weight.shape[0]!;
  return reshape(rmsNorm(reshape(x, [b, t, width / d, d]), weight, eps), [b, t, width]);
}

/** One layer's attention: q [B, T, heads * D] and k, v [B, T, kvHeads * D] (after Qwen3's q/k norms, before RoPE) -> [B, T, heads * D]. */
export type AttentionFn = (layer: number, q: Tensor, k: Tensor, v: Tensor) => Tensor;

/** The decoder without its attention: what every graph of the model (train step, forward, scoring, prefill/decode) shares. */
export interface DecoderBody {
  readonly adapter: PackedParams;
  readonly frozen: readonly Tensor[];
  /** The final RMSNorm's output [B, T, hidden]. */
  readonly hidden: Tensor;
  /** The head's [V, hidden] weight (lm_head, or embed_tokens when tied). */
  readonly head: Tensor;
}

/**
 * The embedding, the layers and the final norm into `g`, reading `inputIds` [B, T] and the model's weights (initializers
 * as buildCausalLM says, or with all weights trained the packed input), with `attend` as each layer's attention. The
 * trained input is `adapter` (ADAPTER_INPUT).
 */
export function buildDecoderBody(
  g: Graph,
  spec: Pick<CausalLMSpec, 'config' | 'lora' | 'dtype'>,
  weights: BaseWeights | undefined,
  inputIds: Tensor,
  attend: AttentionFn,
  backward: BackwardWeights = 'stored',
): DecoderBody {
  const { config, lora } = spec;
  const dtype = spec.dtype ?? 'float32';
  if (isAllWeights(lora)) return allWeightsBody(g, config, dtype, inputIds, attend);
  const adapter = packedParams(g, ADAPTER_INPUT, dtype, loraParameters(config, lora));
  const byName = new Map<string, Tensor>(adapter.layout.map((p, i) => [p.name, adapter.parts[i]!]));
  const layout = frozenTensors(config, backward);
  const frozen = layout.map((p) => g.initializer(p.name, dtype, p.shape, weights === undefined ? undefined : convert(layOut(p, weights), dtype)));
  for (const w of frozen) byName.set(w.name, w);
  const get = getter(byName);
  for (const [a, b] of transposePairs(layout)) g.declareTranspose(get(a), get(b));

  const targets = new Set<Projection>(lora.targets);
  /** The projections of one input (q, k, v; gate, up), plain or LoRA, as one product by their stacked weights (nn/lora.ts). */
  const project: ProjectFn = (x, layer, ps) => {
    const names = stackNames(config, layer, ps, backward);
    const stack = { weightT: get(names.weightT), outs: names.outs, ...(names.bias === null ? {} : { bias: get(names.bias) }) };
    const branches = ps.map((p): LoraBranch | undefined => {
      if (!targets.has(p)) return undefined;
      const factors = loraTensorNames(layer, p);
      return { loraA: get(factors.a), loraB: get(factors.b), alpha: lora.alpha };
    });
    return stackedLinears(x, stack, branches);
  };
  return { adapter, frozen, hidden: decoderLayers(config, get, project, inputIds, attend), head: get(headNames(config).weight) };
}

/**
 * The decoder with every weight trained: the packed input holds the checkpoint's tensors as they are ([out, in]
 * matrices), so a product stacks and transposes its weights in the graph (nn/lora.ts linears: a Concat and a
 * Transpose per step, whose backward are a Split and a Transpose) and nothing is frozen.
 */
function allWeightsBody(g: Graph, config: ModelConfig, dtype: ModelDType, inputIds: Tensor, attend: AttentionFn): DecoderBody {
  const adapter = packedParams(g, ADAPTER_INPUT, dtype, checkpointParameters(config));
  const get = getter(new Map(adapter.layout.map((p, i) => [p.name, adapter.parts[i]!])));
  const project: ProjectFn = (x, layer, ps) =>
    linears(
      x,
      ps.map((p) => {
        const module = projectionModuleName(layer, p);
        return config.bias[p] ? { weight: get(`${module}.weight`), bias: get(`${module}.bias`) } : { weight: get(`${module}.weight`) };
      }),
    );
  const head = get(config.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight');
  return { adapter, frozen: [], hidden: decoderLayers(config, get, project, inputIds, attend), head };
}

type ProjectFn = (x: Tensor, layer: number, ps: readonly Projection[]) => Tensor[];

function getter(byName: ReadonlyMap<string, Tensor>): (name: string) => Tensor {
  return (name) => {
    const x = byName.get(name);
    if (x === undefined) throw new Error(`causal LM: no tensor ${name}`);
    return x;
  };
}

/** The embedding, the layers and the final norm (transformers' LlamaModel.forward), with the weights as `get` and `project` read them. */
function decoderLayers(config: ModelConfig, get: (name: string) => Tensor, project: ProjectFn, inputIds: Tensor, attend: AttentionFn): Tensor {
  const eps = config.rmsNormEps;
  const embed = get('model.embed_tokens.weight');
  let h = gather(embed, inputIds); // [B, T, hidden]
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const n1 = rmsNorm(h, get(`model.layers.${layer}.input_layernorm.weight`), eps);
    const [q, k, v] = project(n1, layer, ['q', 'k', 'v']) as [Tensor, Tensor, Tensor];
    const norms = config.qkNorm ? qkNormNames(layer) : null;
    const qn = norms ? headNorm(q, get(norms.q), eps) : q;
    const kn = norms ? headNorm(k, get(norms.k), eps) : k;
    h = add(h, project(attend(layer, qn, kn, v), layer, ['o'])[0]!);
    const n2 = rmsNorm(h, get(`model.layers.${layer}.post_attention_layernorm.weight`), eps);
    const [gate, up] = project(n2, layer, ['gate', 'up']) as [Tensor, Tensor];
    h = add(h, project(mul(silu(gate), up), layer, ['down'])[0]!);
  }
  return rmsNorm(h, get('model.norm.weight'), eps);
}

/** HF's RoPE settings of a config for the attention composites (the scaled inverse frequencies tabulated, if any). */
export function ropeOptions(config: ModelConfig): { ropeTheta: number; ropeInvFreq?: number[] } {
  const ropeInvFreq = config.ropeScaling === null ? undefined : Array.from(ropeInverseFrequencies(config));
  return { ropeTheta: config.ropeTheta, ...(ropeInvFreq ? { ropeInvFreq } : {}) };
}

/**
 * Builds the forward pass (logits and loss) into a new Graph named `name`. Callers that want a train step
 * append it to this graph (graph/optim/packed-train-step.ts) with `adapter` as the params.
 */
export function buildCausalLM(spec: CausalLMSpec, weights?: BaseWeights, name = 'forward', options: CausalLMOptions = {}): CausalLMGraph {
  checkCausalLMSpec(spec);
  const { config, batchSize: b, seqLen: t } = spec;
  const dtype = spec.dtype ?? 'float32';
  const g = new Graph(name, { splitSums: options.splitSums });
  const batch = {
    input_ids: g.input('input_ids', 'int64', [b, t]),
    attention_mask: g.input('attention_mask', dtype, [b, t]),
    labels: g.input('labels', dtype, [b, t]),
    loss_mask: g.input('loss_mask', dtype, [b, t]),
  };
  const attention = {
    nHeads: config.numAttentionHeads,
    nKvHeads: config.numKeyValueHeads,
    headDim: config.headDim,
    bias: attentionBias(batch.attention_mask),
    ...ropeOptions(config),
  };
  const body = buildDecoderBody(g, spec, weights, batch.input_ids, (_layer, q, k, v) => causalAttention(q, k, v, attention), options.backwardWeights ?? 'stored');
  const { hidden: final, head, adapter, frozen } = body;
  const logits = reshape(linear(final, head), [b, t, config.vocabSize]);
  // linearCrossEntropy holds the head constant (it computes x's gradient only): with all weights trained the head
  // learns, so the loss is taken from whole logits (their [B, T, V] bytes are in the memory estimate).
  const chunks = options.lossChunkBytes === undefined || isAllWeights(spec.lora) ? null : lossChunks(b * t, config.vocabSize, bytesPerElement[dtype], options.lossChunkBytes);
  const denominator = options.lossDenominator ? g.input(LOSS_DENOMINATOR_INPUT, dtype, []) : undefined;
  const loss =
    chunks === null
      ? maskedCrossEntropy(logits, batch.labels, batch.loss_mask, denominator)
      : linearCrossEntropy(final, head, batch.labels, batch.loss_mask, chunks, denominator);
  return { graph: g, batch, adapter, frozen, logits, loss, lossChunks: chunks, hidden: final, head };
}
