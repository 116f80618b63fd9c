import { z } from 'zod';
import { ConfigError, configErrorFromZod, parseJsonText } from './config-error.ts';

/**
 * A Hugging Face `config.json` for LlamaForCausalLM, Qwen2ForCausalLM or Qwen3ForCausalLM, normalised: every
 * default that transformers applies is applied here (num_key_value_heads = heads, head_dim = hidden / heads, 128
 * for Qwen3, ...), and every feature the engine does not implement is refused with a ConfigError naming the field,
 * rather than ignored.
 *
 * Sources: transformers' configuration_llama.py / configuration_qwen2.py / configuration_qwen3.py (defaults),
 * modeling_llama.py / modeling_qwen2.py / modeling_qwen3.py (which flags create which biases and norms),
 * modeling_rope_utils.py (RoPE types).
 */

export const ARCHITECTURES = ['LlamaForCausalLM', 'Qwen2ForCausalLM', 'Qwen3ForCausalLM'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** The seven linear projections of a decoder layer, by their short names (also LoRA's target names). */
export const PROJECTIONS = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] as const;
export type Projection = (typeof PROJECTIONS)[number];

/**
 * RoPE frequency scaling. `linear` divides every inverse frequency by `factor`; `llama3` is Llama 3.1's
 * wavelength-dependent scaling (modeling_rope_utils._compute_llama3_parameters). Neither scales cos/sin
 * (their attention factor is 1).
 */
export type RopeScaling =
  | { readonly type: 'linear'; readonly factor: number }
  | {
      readonly type: 'llama3';
      readonly factor: number;
      readonly lowFreqFactor: number;
      readonly highFreqFactor: number;
      readonly originalMaxPositionEmbeddings: number;
    };

export interface ModelConfig {
  readonly architecture: Architecture;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  /** Grouped-query attention: each key/value head serves numAttentionHeads / numKeyValueHeads query heads. */
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  readonly ropeTheta: number;
  /** null: plain RoPE, inv_freq = 1 / theta^(2i / headDim). */
  readonly ropeScaling: RopeScaling | null;
  readonly rmsNormEps: number;
  /** true: the checkpoint has no lm_head.weight; logits use model.embed_tokens.weight. */
  readonly tieWordEmbeddings: boolean;
  readonly maxPositionEmbeddings: number;
  /**
   * Which projections have a bias. Qwen2: q, k, v. Llama: q/k/v/o from attention_bias, gate/up/down from mlp_bias.
   * Qwen3: q/k/v/o from attention_bias (default false), never the MLP.
   */
  readonly bias: Readonly<Record<Projection, boolean>>;
  /**
   * Qwen3: q and k are RMS-normalised per head over head_dim (self_attn.q_norm / k_norm, weights [head_dim], the
   * layer's rms_norm_eps) after their projections and before RoPE. false for Llama and Qwen2.
   */
  readonly qkNorm: boolean;
  readonly hiddenAct: 'silu';
  /** Std of the normal init of linear and embedding weights (HF _init_weights). */
  readonly initializerRange: number;
  /** The checkpoint's stored dtype as config.json names it ("bfloat16", ...), or null when absent. */
  readonly torchDtype: string | null;
  readonly bosTokenId: number | null;
  /** eos_token_id may be one id or a list; always a list here (possibly empty). */
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number | null;
}

const positiveInt = z.number().int().positive();
const positive = z.number().positive();
const tokenId = z.number().int().nonnegative().nullish();

/** Fields the architectures share; defaults are transformers' (LlamaConfig, Qwen2Config and Qwen3Config agree on these, head_dim aside). */
const rawConfigSchema = z.looseObject({
  architectures: z.array(z.string()).min(1).optional(),
  model_type: z.string().optional(),
  vocab_size: positiveInt,
  hidden_size: positiveInt,
  intermediate_size: positiveInt,
  num_hidden_layers: positiveInt,
  num_attention_heads: positiveInt,
  num_key_value_heads: positiveInt.nullish(),
  head_dim: positiveInt.nullish(),
  hidden_act: z.string().default('silu'),
  max_position_embeddings: positiveInt.optional(),
  rms_norm_eps: positive.default(1e-6),
  rope_theta: positive.nullish(),
  rope_scaling: z.record(z.string(), z.unknown()).nullish(),
  rope_parameters: z.record(z.string(), z.unknown()).nullish(),
  partial_rotary_factor: z.number().nullish(),
  tie_word_embeddings: z.boolean().default(false),
  attention_bias: z.boolean().default(false),
  mlp_bias: z.boolean().default(false),
  use_sliding_window: z.boolean().default(false),
  layer_types: z.array(z.string()).nullish(),
  initializer_range: positive.default(0.02),
  torch_dtype: z.string().nullish(),
  dtype: z.string().nullish(),
  bos_token_id: tokenId,
  eos_token_id: z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]).nullish(),
  pad_token_id: tokenId,
});
type RawConfig = z.infer<typeof rawConfigSchema>;

const MODEL_TYPES: Readonly<Record<Architecture, string>> = { LlamaForCausalLM: 'llama', Qwen2ForCausalLM: 'qwen2', Qwen3ForCausalLM: 'qwen3' };
/** max_position_embeddings defaults of LlamaConfig, Qwen2Config and Qwen3Config. */
const DEFAULT_MAX_POSITIONS: Readonly<Record<Architecture, number>> = { LlamaForCausalLM: 2048, Qwen2ForCausalLM: 32768, Qwen3ForCausalLM: 32768 };
/** Qwen3Config's head_dim default: a field of its own (128), not hidden_size / num_attention_heads. */
const QWEN3_DEFAULT_HEAD_DIM = 128;

function architectureOf(raw: RawConfig, source: string): Architecture {
  const known = (name: string): name is Architecture => (ARCHITECTURES as readonly string[]).includes(name);
  if (raw.architectures) {
    const name = raw.architectures[0]!;
    if (!known(name)) {
      throw new ConfigError(source, 'architectures', `${name} is not supported (supported: ${ARCHITECTURES.join(', ')})`);
    }
    if (raw.model_type !== undefined && raw.model_type !== MODEL_TYPES[name]) {
      throw new ConfigError(source, 'model_type', `"${raw.model_type}" contradicts architectures ${name} (expected "${MODEL_TYPES[name]}")`);
    }
    return name;
  }
  const byType = ARCHITECTURES.find((a) => MODEL_TYPES[a] === raw.model_type);
  if (!byType) {
    const got = raw.model_type === undefined ? 'neither architectures nor model_type is given' : `"${raw.model_type}" is not supported`;
    throw new ConfigError(source, 'model_type', `${got} (supported: ${Object.values(MODEL_TYPES).join(', ')})`);
  }
  return byType;
}

function numberField(params: Record<string, unknown>, key: string, field: string, source: string): number {
  const value = params[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(source, `${field}.${key}`, `a positive number is required for this RoPE type (got ${JSON.stringify(value) ?? 'nothing'})`);
  }
  return value;
}

/** Reads RoPE from transformers v4's rope_theta + rope_scaling or v5's rope_parameters. */
function ropeOf(raw: RawConfig, source: string): { theta: number; scaling: RopeScaling | null } {
  if (raw.partial_rotary_factor != null && raw.partial_rotary_factor !== 1) {
    throw new ConfigError(source, 'partial_rotary_factor', `partial rotary embeddings are not supported (got ${raw.partial_rotary_factor})`);
  }
  let params: Record<string, unknown> | null = null;
  let field = 'rope_scaling';
  if (raw.rope_parameters) {
    field = 'rope_parameters';
    params = raw.rope_parameters;
    if (Object.values(params).some((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      throw new ConfigError(source, field, 'per-layer-type RoPE parameters are not supported');
    }
    if (params.partial_rotary_factor !== undefined && params.partial_rotary_factor !== 1) {
      throw new ConfigError(source, `${field}.partial_rotary_factor`, 'partial rotary embeddings are not supported');
    }
  } else if (raw.rope_scaling) {
    params = raw.rope_scaling;
  }
  let theta = raw.rope_theta ?? 10000;
  if (params && params.rope_theta !== undefined) theta = numberField(params, 'rope_theta', field, source);
  if (!params) return { theta, scaling: null };
  // BC: transformers reads "type" where "rope_type" is absent.
  const typeKey = params.rope_type !== undefined ? 'rope_type' : 'type';
  const type = params[typeKey] ?? 'default';
  switch (type) {
    case 'default':
      return { theta, scaling: null };
    case 'linear':
      return { theta, scaling: { type: 'linear', factor: numberField(params, 'factor', field, source) } };
    case 'llama3': {
      const scaling = {
        type: 'llama3',
        factor: numberField(params, 'factor', field, source),
        lowFreqFactor: numberField(params, 'low_freq_factor', field, source),
        highFreqFactor: numberField(params, 'high_freq_factor', field, source),
        originalMaxPositionEmbeddings: numberField(params, 'original_max_position_embeddings', field, source),
      } as const;
      if (scaling.highFreqFactor <= scaling.lowFreqFactor) {
        throw new ConfigError(source, `${field}.high_freq_factor`, 'must be greater than low_freq_factor');
      }
      return { theta, scaling };
    }
    default:
      throw new ConfigError(source, `${field}.${typeKey}`, `RoPE type ${JSON.stringify(type)} is not supported (supported: default, linear, llama3)`);
  }
}

/** Normalises a parsed config.json; throws a ConfigError naming the field at fault. */
export function parseModelConfig(json: unknown, source = 'config.json'): ModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(source, null, 'must be a JSON object');
  }
  const parsed = rawConfigSchema.safeParse(json);
  if (!parsed.success) throw configErrorFromZod(parsed.error, json, source);
  const raw = parsed.data;
  const architecture = architectureOf(raw, source);

  if (raw.hidden_act !== 'silu' && raw.hidden_act !== 'swish') {
    throw new ConfigError(source, 'hidden_act', `"${raw.hidden_act}" is not supported: the engine implements the SiLU-gated MLP only ("silu")`);
  }
  const heads = raw.num_attention_heads;
  const kvHeads = raw.num_key_value_heads ?? heads;
  if (heads % kvHeads !== 0) {
    throw new ConfigError(source, 'num_key_value_heads', `${kvHeads} does not divide num_attention_heads (${heads})`);
  }
  const qwen3 = architecture === 'Qwen3ForCausalLM';
  const givenHeadDim = raw.head_dim ?? (qwen3 ? QWEN3_DEFAULT_HEAD_DIM : null);
  if (givenHeadDim === null && raw.hidden_size % heads !== 0) {
    throw new ConfigError(source, 'num_attention_heads', `${heads} does not divide hidden_size (${raw.hidden_size}) and head_dim is not given`);
  }
  const headDim = givenHeadDim ?? raw.hidden_size / heads;
  if (headDim % 2 !== 0) throw new ConfigError(source, raw.head_dim == null ? 'num_attention_heads' : 'head_dim', `head_dim ${headDim} must be even for rotary embeddings`);
  if (raw.use_sliding_window) {
    throw new ConfigError(source, 'use_sliding_window', 'sliding-window attention is not supported');
  }
  const otherLayer = raw.layer_types?.findIndex((t) => t !== 'full_attention') ?? -1;
  if (otherLayer >= 0) {
    throw new ConfigError(source, `layer_types.${otherLayer}`, `"${raw.layer_types![otherLayer]}" is not supported (full_attention only)`);
  }
  const { theta, scaling } = ropeOf(raw, source);

  // Qwen2Attention: q/k/v Linear(bias=True), o without; Qwen3Attention: all four Linear(bias=attention_bias);
  // neither MLP has biases. Llama: attention_bias and mlp_bias.
  const qwen2 = architecture === 'Qwen2ForCausalLM';
  const attention = qwen2 ? false : raw.attention_bias;
  const mlp = qwen2 || qwen3 ? false : raw.mlp_bias;
  const eos = raw.eos_token_id;
  return {
    architecture,
    vocabSize: raw.vocab_size,
    hiddenSize: raw.hidden_size,
    intermediateSize: raw.intermediate_size,
    numHiddenLayers: raw.num_hidden_layers,
    numAttentionHeads: heads,
    numKeyValueHeads: kvHeads,
    headDim,
    ropeTheta: theta,
    ropeScaling: scaling,
    rmsNormEps: raw.rms_norm_eps,
    tieWordEmbeddings: raw.tie_word_embeddings,
    maxPositionEmbeddings: raw.max_position_embeddings ?? DEFAULT_MAX_POSITIONS[architecture],
    bias: { q: qwen2 || attention, k: qwen2 || attention, v: qwen2 || attention, o: attention, gate: mlp, up: mlp, down: mlp },
    qkNorm: qwen3,
    hiddenAct: 'silu',
    initializerRange: raw.initializer_range,
    torchDtype: raw.torch_dtype ?? raw.dtype ?? null,
    bosTokenId: raw.bos_token_id ?? null,
    eosTokenIds: eos == null ? [] : typeof eos === 'number' ? [eos] : eos,
    padTokenId: raw.pad_token_id ?? null,
  };
}

/** Parses config.json's text; JSON syntax errors name the line and column. */
export function parseModelConfigText(text: string, source = 'config.json'): ModelConfig {
  return parseModelConfig(parseJsonText(text, source), source);
}
