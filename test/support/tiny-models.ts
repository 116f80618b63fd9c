// Tiny model configs for the model and runtime tests (seeded random weights, no checkpoint needed). The e2e engine
// harness has a smaller one of its own (SwiftShader is slow); the benchmarks' are in bench/engine/configs.
import { parseModelConfig, type ModelConfig } from '../../src/models/config.ts';

/** A 2-layer Llama with GQA and tied embeddings: small enough for SwiftShader, big enough to have every part. */
export const tinyLlamaConfig: ModelConfig = parseModelConfig({
  architectures: ['LlamaForCausalLM'],
  vocab_size: 64,
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 128,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: true,
  initializer_range: 0.2,
});

/** The same shapes as Qwen2 (q/k/v biases, untied head). */
export const tinyQwen2Config: ModelConfig = parseModelConfig({
  architectures: ['Qwen2ForCausalLM'],
  vocab_size: 64,
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 1,
  max_position_embeddings: 128,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  tie_word_embeddings: false,
  initializer_range: 0.2,
});

/** Qwen3's parts: q/k norms, head_dim (12) other than hidden / heads (8), GQA, tied embeddings, no biases. */
export const tinyQwen3Config: ModelConfig = parseModelConfig({
  architectures: ['Qwen3ForCausalLM'],
  ...shapesOf(tinyQwen2Config),
  num_key_value_heads: 2,
  head_dim: 12,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  tie_word_embeddings: true,
});

/** The sizes every tiny config shares, as config.json names them. */
function shapesOf(c: ModelConfig) {
  return {
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numHiddenLayers,
    num_attention_heads: c.numAttentionHeads,
    max_position_embeddings: c.maxPositionEmbeddings,
    initializer_range: c.initializerRange,
  };
}
