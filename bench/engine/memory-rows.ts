import { parseModelConfig, type ModelConfig } from '../../src/models/config.ts';
import type { LoraSpec, LoraTarget } from '../../src/models/lora.ts';

/**
 * The shapes bench/engine/memory.ts measures on WebGPU (SwiftShader: tiny) and the ones it only estimates (the
 * studio's models). Kept apart from the bench so that the rows are data a reader can scan.
 */

const tiny = (over: Record<string, unknown>): ModelConfig =>
  parseModelConfig({
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: 64,
    intermediate_size: 128,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    vocab_size: 256,
    max_position_embeddings: 512,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: true,
    ...over,
  });

const qwen2 = { architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2' };

export const ALL_TARGETS: readonly LoraTarget[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];

const lora = (r: number, targets: readonly LoraTarget[] = ALL_TARGETS): LoraSpec => ({ r, alpha: 2 * r, targets, dropout: 0 });

export interface MemoryRow {
  readonly name: string;
  readonly config: ModelConfig;
  readonly lora: LoraSpec;
  readonly batchSize: number;
  readonly seqLen: number;
  /** The train step's loss chunk bytes (default: the artifacts' 256 MiB); small ones force several chunks. */
  readonly lossChunkBytes?: number;
}

export const MEASURED_ROWS: readonly MemoryRow[] = [
  { name: 'llama h64 L2 V256', config: tiny({}), lora: lora(8), batchSize: 2, seqLen: 16 },
  { name: 'llama h64 L2 V256', config: tiny({}), lora: lora(8), batchSize: 4, seqLen: 64 },
  { name: 'llama h64 L2 V256', config: tiny({}), lora: lora(4, ['q', 'v']), batchSize: 2, seqLen: 64 },
  { name: 'llama h64 L4 V256', config: tiny({ num_hidden_layers: 4 }), lora: lora(16), batchSize: 2, seqLen: 32 },
  { name: 'qwen2 h64 L2 V256 (q/k/v bias)', config: tiny(qwen2), lora: lora(8), batchSize: 2, seqLen: 32 },
  { name: 'qwen2 h128 L2 V4096, 1 kv head', config: tiny({ ...qwen2, hidden_size: 128, intermediate_size: 352, num_key_value_heads: 1, vocab_size: 4096 }), lora: lora(8), batchSize: 2, seqLen: 64 },
  { name: 'llama h64 L2 V32000', config: tiny({ vocab_size: 32000 }), lora: lora(8), batchSize: 1, seqLen: 64 },
  { name: 'llama h64 L2 V32000, 4 loss chunks', config: tiny({ vocab_size: 32000 }), lora: lora(8), batchSize: 2, seqLen: 64, lossChunkBytes: 4 * 2 ** 20 },
];

const smollm2 = parseModelConfig({
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  vocab_size: 49152,
  max_position_embeddings: 8192,
  rms_norm_eps: 1e-5,
  rope_theta: 100000,
  tie_word_embeddings: true,
});

const qwen25 = parseModelConfig({
  ...qwen2,
  hidden_size: 896,
  intermediate_size: 4864,
  num_hidden_layers: 24,
  num_attention_heads: 14,
  num_key_value_heads: 2,
  vocab_size: 151936,
  max_position_embeddings: 32768,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  tie_word_embeddings: true,
});

export const ESTIMATED_MODELS: readonly { readonly name: string; readonly config: ModelConfig }[] = [
  { name: 'SmolLM2-135M', config: smollm2 },
  { name: 'Qwen2.5-0.5B', config: qwen25 },
];

export const ESTIMATED_SHAPES: readonly { readonly batchSize: number; readonly seqLen: number }[] = [
  { batchSize: 1, seqLen: 256 },
  { batchSize: 4, seqLen: 256 },
  { batchSize: 4, seqLen: 512 },
];

export const ESTIMATED_LORA = lora(8);
