import { readFileSync } from 'node:fs';
import { checkpointParameters } from '../src/models/architecture.ts';
import { parseModelConfig } from '../src/models/config.ts';
import { randomBaseWeights } from '../src/models/init.ts';
import { RANDOM_WEIGHTS_METADATA } from '../src/engine/load-model.ts';
import { writeSafetensors, type TensorToWrite } from '../src/models/safetensors.ts';

/**
 * The offline demo model of public/models/demo/: a tiny LlamaForCausalLM with seeded random weights (HF's init)
 * stored as BF16, and the BPE tokenizer of the tokenizer fixtures (test/fixtures/tokenizers/bpe/, trained on the
 * sample tasks' text). It lets the studio load, tokenize, train and generate without a network; its output is
 * noise. `scripts/make-demo-model.ts` writes these files; test/unit/models/demo-model.test.ts checks that the
 * shipped ones are what this makes.
 */

const root = new URL('..', import.meta.url);
export const DEMO_MODEL_DIR = new URL('public/models/demo/', root);
const TOKENIZER_DIR = new URL('test/fixtures/tokenizers/bpe/', root);

/** Fixed so that the files are reproducible; any value would do. */
export const DEMO_SEED = 17;

/** Ids of the BPE's special tokens (trained first, in this order). */
const ENDOFTEXT = 0;
const IM_END = 2;

export const DEMO_CONFIG = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  vocab_size: 4096,
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 16,
  hidden_act: 'silu',
  max_position_embeddings: 512,
  initializer_range: 0.02,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  rope_scaling: null,
  attention_bias: false,
  mlp_bias: false,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  bos_token_id: null,
  eos_token_id: IM_END,
  pad_token_id: ENDOFTEXT,
};

const GENERATION_CONFIG = { eos_token_id: IM_END, pad_token_id: ENDOFTEXT, do_sample: false };

function jsonFile(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

/** Every file of public/models/demo/ but its README, by name. */
export function demoModelFiles(): Map<string, Uint8Array> {
  const config = parseModelConfig(DEMO_CONFIG);
  const weights = randomBaseWeights(config, DEMO_SEED);
  const tensors: Record<string, TensorToWrite> = {};
  for (const { name, shape } of checkpointParameters(config)) tensors[name] = { dtype: 'BF16', shape, data: weights.get(name)! };
  return new Map([
    ['config.json', jsonFile(DEMO_CONFIG)],
    ['generation_config.json', jsonFile(GENERATION_CONFIG)],
    ['tokenizer.json', new Uint8Array(readFileSync(new URL('tokenizer.json', TOKENIZER_DIR)))],
    ['tokenizer_config.json', new Uint8Array(readFileSync(new URL('tokenizer_config.json', TOKENIZER_DIR)))],
    ['model.safetensors', writeSafetensors(tensors, { format: 'pt', [RANDOM_WEIGHTS_METADATA]: `HF init, seed ${DEMO_SEED}` })],
  ]);
}
