import { describe, expect, it } from 'vitest';
import { parseModelConfig, parseModelConfigText, type ModelConfig } from '../../../src/models/config.ts';
import { ConfigError } from '../../../src/models/config-error.ts';

// Shaped like the Hub's config.json of HuggingFaceTB/SmolLM2-135M-Instruct, Qwen/Qwen2.5-0.5B-Instruct, Qwen/Qwen3-0.6B
// and meta-llama/Llama-3.2-1B (fields as those files have them, extra fields included).
const smollm2 = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 1,
  eos_token_id: 2,
  hidden_act: 'silu',
  hidden_size: 576,
  initializer_range: 0.041666666666666664,
  intermediate_size: 1536,
  is_llama_config: true,
  max_position_embeddings: 8192,
  mlp_bias: false,
  model_type: 'llama',
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  pad_token_id: 2,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_interleaved: false,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  transformers_version: '4.42.3',
  use_cache: true,
  vocab_size: 49152,
};

const qwen25 = {
  architectures: ['Qwen2ForCausalLM'],
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151645,
  hidden_act: 'silu',
  hidden_size: 896,
  initializer_range: 0.02,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  max_window_layers: 21,
  model_type: 'qwen2',
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  sliding_window: 32768,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  transformers_version: '4.43.1',
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
};

const qwen3 = {
  architectures: ['Qwen3ForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151645,
  head_dim: 128,
  hidden_act: 'silu',
  hidden_size: 1024,
  initializer_range: 0.02,
  intermediate_size: 3072,
  max_position_embeddings: 40960,
  max_window_layers: 28,
  model_type: 'qwen3',
  num_attention_heads: 16,
  num_hidden_layers: 28,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-6,
  rope_scaling: null,
  rope_theta: 1000000,
  sliding_window: null,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  transformers_version: '4.51.0',
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
};

const llama32 = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  bos_token_id: 128000,
  eos_token_id: [128001, 128008, 128009],
  head_dim: 64,
  hidden_act: 'silu',
  hidden_size: 2048,
  intermediate_size: 8192,
  max_position_embeddings: 131072,
  mlp_bias: false,
  model_type: 'llama',
  num_attention_heads: 32,
  num_hidden_layers: 16,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-5,
  rope_scaling: { factor: 32.0, high_freq_factor: 4.0, low_freq_factor: 1.0, original_max_position_embeddings: 8192, rope_type: 'llama3' },
  rope_theta: 500000.0,
  tie_word_embeddings: true,
  vocab_size: 128256,
};

/** The smallest valid config: the five sizes and the type. */
const minimal = { model_type: 'llama', vocab_size: 10, hidden_size: 8, intermediate_size: 16, num_hidden_layers: 2, num_attention_heads: 2 };

function configError(json: unknown): ConfigError {
  try {
    parseModelConfig(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseModelConfig: supported checkpoints', () => {
  it('SmolLM2 (Llama, GQA, tied embeddings)', () => {
    expect(parseModelConfig(smollm2)).toEqual({
      architecture: 'LlamaForCausalLM',
      vocabSize: 49152,
      hiddenSize: 576,
      intermediateSize: 1536,
      numHiddenLayers: 30,
      numAttentionHeads: 9,
      numKeyValueHeads: 3,
      headDim: 64,
      ropeTheta: 100000,
      ropeScaling: null,
      rmsNormEps: 1e-5,
      tieWordEmbeddings: true,
      maxPositionEmbeddings: 8192,
      bias: { q: false, k: false, v: false, o: false, gate: false, up: false, down: false },
      qkNorm: false,
      hiddenAct: 'silu',
      initializerRange: 0.041666666666666664,
      torchDtype: 'bfloat16',
      bosTokenId: 1,
      eosTokenIds: [2],
      padTokenId: 2,
    } satisfies ModelConfig);
  });

  it('Qwen2.5: q/k/v have biases, o and the MLP do not', () => {
    const config = parseModelConfig(qwen25);
    expect(config.architecture).toBe('Qwen2ForCausalLM');
    expect(config.bias).toEqual({ q: true, k: true, v: true, o: false, gate: false, up: false, down: false });
    expect(config).toMatchObject({ headDim: 64, numKeyValueHeads: 2, ropeTheta: 1e6, rmsNormEps: 1e-6, tieWordEmbeddings: true });
  });

  it('Qwen2 ignores attention_bias / mlp_bias, as its modeling code does', () => {
    expect(parseModelConfig({ ...qwen25, attention_bias: true, mlp_bias: true }).bias).toEqual(parseModelConfig(qwen25).bias);
  });

  it('Qwen3-0.6B: q/k norms, head_dim 128 although hidden / heads is 64, no biases, tied embeddings', () => {
    const config = parseModelConfig(qwen3);
    expect(config).toMatchObject({ architecture: 'Qwen3ForCausalLM', headDim: 128, numAttentionHeads: 16, numKeyValueHeads: 8, qkNorm: true, tieWordEmbeddings: true });
    expect(config.bias).toEqual({ q: false, k: false, v: false, o: false, gate: false, up: false, down: false });
    expect(parseModelConfig(qwen25).qkNorm).toBe(false);
  });

  it("Qwen3: attention_bias gives q/k/v/o biases, mlp_bias none (Qwen3MLP has none); head_dim defaults to 128, Qwen3Config's", () => {
    expect(parseModelConfig({ ...qwen3, attention_bias: true, mlp_bias: true }).bias).toEqual({ q: true, k: true, v: true, o: true, gate: false, up: false, down: false });
    const { head_dim: _, ...noHeadDim } = qwen3;
    expect(parseModelConfig(noHeadDim).headDim).toBe(128);
    expect(parseModelConfig({ ...minimal, model_type: 'qwen3' })).toMatchObject({ architecture: 'Qwen3ForCausalLM', headDim: 128, maxPositionEmbeddings: 32768, qkNorm: true });
  });

  it('Qwen3: sliding-window attention is refused, by either of its switches', () => {
    expect(configError({ ...qwen3, use_sliding_window: true, sliding_window: 4096 }).field).toBe('use_sliding_window');
    const layerTypes = Array.from({ length: 28 }, (_, i) => (i < 24 ? 'full_attention' : 'sliding_attention'));
    expect(configError({ ...qwen3, layer_types: layerTypes }).field).toBe('layer_types.24');
    expect(parseModelConfig({ ...qwen3, layer_types: layerTypes.map(() => 'full_attention') }).qkNorm).toBe(true);
  });

  it('Llama 3.2: llama3 RoPE scaling, explicit head_dim, a list of eos ids', () => {
    const config = parseModelConfig(llama32);
    expect(config.ropeScaling).toEqual({ type: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 });
    expect(config.eosTokenIds).toEqual([128001, 128008, 128009]);
    expect(config.headDim).toBe(64);
  });

  it("applies transformers' defaults", () => {
    expect(parseModelConfig(minimal)).toMatchObject({
      architecture: 'LlamaForCausalLM',
      numKeyValueHeads: 2,
      headDim: 4,
      ropeTheta: 10000,
      ropeScaling: null,
      rmsNormEps: 1e-6,
      tieWordEmbeddings: false,
      maxPositionEmbeddings: 2048,
      initializerRange: 0.02,
      torchDtype: null,
      bosTokenId: null,
      eosTokenIds: [],
      padTokenId: null,
    });
    expect(parseModelConfig({ ...minimal, model_type: 'qwen2' }).maxPositionEmbeddings).toBe(32768);
    expect(parseModelConfig({ ...minimal, num_key_value_heads: null, head_dim: null }).headDim).toBe(4);
  });

  it('Llama attention_bias gives q/k/v/o biases; mlp_bias gives gate/up/down biases', () => {
    expect(parseModelConfig({ ...minimal, attention_bias: true }).bias).toEqual({ q: true, k: true, v: true, o: true, gate: false, up: false, down: false });
    expect(parseModelConfig({ ...minimal, mlp_bias: true }).bias).toEqual({ q: false, k: false, v: false, o: false, gate: true, up: true, down: true });
  });

  it('accepts hidden_act "swish" (transformers maps it to SiLU too)', () => {
    expect(parseModelConfig({ ...minimal, hidden_act: 'swish' }).hiddenAct).toBe('silu');
  });

  it('reads RoPE from rope_scaling (rope_type or the older type) and from transformers v5 rope_parameters', () => {
    expect(parseModelConfig({ ...minimal, rope_scaling: { type: 'linear', factor: 2 } }).ropeScaling).toEqual({ type: 'linear', factor: 2 });
    expect(parseModelConfig({ ...minimal, rope_scaling: { rope_type: 'default' } }).ropeScaling).toBeNull();
    const v5 = parseModelConfig({ ...minimal, rope_parameters: { rope_type: 'default', rope_theta: 1e6 } });
    expect(v5).toMatchObject({ ropeTheta: 1e6, ropeScaling: null });
    const v5llama3 = parseModelConfig({ ...minimal, rope_theta: null, rope_parameters: { ...llama32.rope_scaling, rope_theta: 5e5 } });
    expect(v5llama3.ropeTheta).toBe(5e5);
    expect(v5llama3.ropeScaling?.type).toBe('llama3');
  });

  it('parses text, naming line and column of a JSON syntax error', () => {
    expect(parseModelConfigText(JSON.stringify(qwen25)).hiddenSize).toBe(896);
    expect(() => parseModelConfigText('{\n  "vocab_size": 10,\n  "hidden_size": ,\n}')).toThrow(
      'config.json: line 3, column 18: not valid JSON (value expected)',
    );
    expect(() => parseModelConfigText('{"vocab_size": 10', 'SmolLM2/config.json')).toThrow(
      'SmolLM2/config.json: line 1, column 18: not valid JSON (close brace expected)',
    );
    expect(() => parseModelConfigText('')).toThrow(/^config\.json: line 1, column 1: not valid JSON/);
  });
});

describe('parseModelConfig: clear errors naming the field', () => {
  const cases: [string, unknown, RegExp | string][] = [
    ['not an object', [1], 'config.json: must be a JSON object'],
    ['missing size', { ...minimal, hidden_size: undefined }, /^config\.json: field "hidden_size": .*expected number.*\(got nothing \(the field is missing\)\)$/],
    ['size of the wrong type', { ...minimal, vocab_size: '10' }, /^config\.json: field "vocab_size": .*\(got "10"\)$/],
    ['non-integer size', { ...minimal, num_hidden_layers: 2.5 }, /field "num_hidden_layers": .*int.*\(got 2\.5\)/],
    ['zero heads', { ...minimal, num_attention_heads: 0 }, /field "num_attention_heads": /],
    ['unsupported architecture', { ...smollm2, architectures: ['MistralForCausalLM'] }, 'config.json: field "architectures": MistralForCausalLM is not supported (supported: LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM)'],
    ['contradicting model_type', { ...smollm2, model_type: 'qwen2' }, /field "model_type": "qwen2" contradicts architectures LlamaForCausalLM/],
    ['unknown model_type', { ...minimal, model_type: 'gpt2' }, /field "model_type": "gpt2" is not supported/],
    ['neither architectures nor model_type', { ...minimal, model_type: undefined }, /field "model_type": neither architectures nor model_type is given/],
    ['hidden_act other than SiLU', { ...minimal, hidden_act: 'gelu' }, 'config.json: field "hidden_act": "gelu" is not supported: the engine implements the SiLU-gated MLP only ("silu")'],
    ['kv heads not dividing heads', { ...minimal, num_attention_heads: 4, num_key_value_heads: 3 }, /field "num_key_value_heads": 3 does not divide num_attention_heads \(4\)/],
    ['heads not dividing hidden', { ...minimal, num_attention_heads: 3 }, /field "num_attention_heads": 3 does not divide hidden_size \(8\)/],
    ['odd head_dim', { ...minimal, head_dim: 5 }, /field "head_dim": head_dim 5 must be even/],
    ['sliding window', { ...qwen25, use_sliding_window: true }, /field "use_sliding_window": sliding-window attention is not supported/],
    ['sliding layer types', { ...qwen25, layer_types: ['full_attention', 'sliding_attention'] }, /field "layer_types.1": "sliding_attention" is not supported/],
    ['yarn', { ...qwen25, rope_scaling: { type: 'yarn', factor: 4, original_max_position_embeddings: 32768 } }, 'config.json: field "rope_scaling.type": RoPE type "yarn" is not supported (supported: default, linear, llama3)'],
    ['dynamic NTK (v5)', { ...minimal, rope_parameters: { rope_type: 'dynamic', factor: 2 } }, /field "rope_parameters.rope_type": RoPE type "dynamic" is not supported/],
    ['llama3 without low_freq_factor', { ...llama32, rope_scaling: { ...llama32.rope_scaling, low_freq_factor: undefined } }, /field "rope_scaling.low_freq_factor": a positive number is required/],
    ['llama3 with high <= low', { ...llama32, rope_scaling: { ...llama32.rope_scaling, high_freq_factor: 1 } }, /field "rope_scaling.high_freq_factor": must be greater than low_freq_factor/],
    ['linear without factor', { ...minimal, rope_scaling: { rope_type: 'linear' } }, /field "rope_scaling.factor": a positive number is required/],
    ['rope_scaling not an object', { ...minimal, rope_scaling: 'llama3' }, /field "rope_scaling": /],
    ['partial rotary', { ...minimal, partial_rotary_factor: 0.5 }, /field "partial_rotary_factor": partial rotary embeddings are not supported/],
    ['per-layer-type RoPE', { ...minimal, rope_parameters: { full_attention: { rope_theta: 1e6 } } }, /field "rope_parameters": per-layer-type RoPE parameters are not supported/],
    ['negative eps', { ...minimal, rms_norm_eps: -1 }, /field "rms_norm_eps": /],
    ['tie flag of the wrong type', { ...minimal, tie_word_embeddings: 'yes' }, /field "tie_word_embeddings": .*\(got "yes"\)/],
  ];
  it.each(cases)('%s', (_, json, message) => {
    const error = configError(json);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('exposes the field for the UI', () => {
    const error = configError({ ...minimal, hidden_act: 'relu' });
    expect(error.field).toBe('hidden_act');
    expect(error.source).toBe('config.json');
    expect(configError([1]).field).toBeNull();
  });
});
