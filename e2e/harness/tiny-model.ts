// The tiny model the engine checks train. SwiftShader runs WebGPU 50-80x slower than WASM: one layer still has every
// part (GQA, rotary, SwiGLU, tied head, LoRA on all seven projections); 512 tokens make the loss's head product for
// x's gradient a split sum (graph/ops/matmul.ts splitSumProduct).
import type { ModelSource } from '../../src/engine/engine.ts';

export const TINY_LLAMA = {
  kind: 'random',
  label: 'tiny llama (random)',
  seed: 7,
  config: {
    architectures: ['LlamaForCausalLM'],
    vocab_size: 512,
    hidden_size: 16,
    intermediate_size: 24,
    num_hidden_layers: 1,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 64,
    rope_theta: 10000,
    rms_norm_eps: 1e-5,
    tie_word_embeddings: true,
    initializer_range: 0.2,
  },
} as const satisfies ModelSource;

export const TINY_LORA = { r: 2, alpha: 4, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] };
export const TINY_SHAPE = { batchSize: 2, seqLen: 8 };
