import { describe, expect, it } from 'vitest';
import { checkpointParameters, projectionModuleName, projectionShape, ropeInverseFrequencies } from '../../../src/models/architecture.ts';
import { parseModelConfig } from '../../../src/models/config.ts';

const minimal = { model_type: 'llama', vocab_size: 10, hidden_size: 8, intermediate_size: 16, num_hidden_layers: 2, num_attention_heads: 2 };

describe('checkpoint names and shapes', () => {
  it('Llama with tied embeddings and GQA: HF state_dict names in order, no biases, no lm_head', () => {
    const config = parseModelConfig({ ...minimal, num_hidden_layers: 1, num_key_value_heads: 1, tie_word_embeddings: true });
    expect(checkpointParameters(config)).toEqual([
      { name: 'model.embed_tokens.weight', shape: [10, 8] },
      { name: 'model.layers.0.self_attn.q_proj.weight', shape: [8, 8] },
      { name: 'model.layers.0.self_attn.k_proj.weight', shape: [4, 8] },
      { name: 'model.layers.0.self_attn.v_proj.weight', shape: [4, 8] },
      { name: 'model.layers.0.self_attn.o_proj.weight', shape: [8, 8] },
      { name: 'model.layers.0.mlp.gate_proj.weight', shape: [16, 8] },
      { name: 'model.layers.0.mlp.up_proj.weight', shape: [16, 8] },
      { name: 'model.layers.0.mlp.down_proj.weight', shape: [8, 16] },
      { name: 'model.layers.0.input_layernorm.weight', shape: [8] },
      { name: 'model.layers.0.post_attention_layernorm.weight', shape: [8] },
      { name: 'model.norm.weight', shape: [8] },
    ]);
  });

  it('Qwen2, untied: q/k/v biases and lm_head', () => {
    const config = parseModelConfig({ ...minimal, model_type: 'qwen2', num_key_value_heads: 1 });
    const names = checkpointParameters(config).map((p) => p.name);
    expect(names.filter((n) => n.endsWith('.bias'))).toEqual([
      'model.layers.0.self_attn.q_proj.bias',
      'model.layers.0.self_attn.k_proj.bias',
      'model.layers.0.self_attn.v_proj.bias',
      'model.layers.1.self_attn.q_proj.bias',
      'model.layers.1.self_attn.k_proj.bias',
      'model.layers.1.self_attn.v_proj.bias',
    ]);
    expect(checkpointParameters(config).find((p) => p.name === 'model.layers.1.self_attn.k_proj.bias')?.shape).toEqual([4]);
    expect(names.at(-1)).toBe('lm_head.weight');
    expect(names).toHaveLength(1 + 2 * (7 + 3 + 2) + 2);
  });

  it('Qwen3: q_norm and k_norm [head_dim] after o_proj, as Qwen3Attention registers them; no biases', () => {
    const config = parseModelConfig({ ...minimal, model_type: 'qwen3', num_hidden_layers: 1, num_key_value_heads: 1, head_dim: 6, tie_word_embeddings: true });
    expect(checkpointParameters(config)).toEqual([
      { name: 'model.embed_tokens.weight', shape: [10, 8] },
      { name: 'model.layers.0.self_attn.q_proj.weight', shape: [12, 8] },
      { name: 'model.layers.0.self_attn.k_proj.weight', shape: [6, 8] },
      { name: 'model.layers.0.self_attn.v_proj.weight', shape: [6, 8] },
      { name: 'model.layers.0.self_attn.o_proj.weight', shape: [8, 12] },
      { name: 'model.layers.0.self_attn.q_norm.weight', shape: [6] },
      { name: 'model.layers.0.self_attn.k_norm.weight', shape: [6] },
      { name: 'model.layers.0.mlp.gate_proj.weight', shape: [16, 8] },
      { name: 'model.layers.0.mlp.up_proj.weight', shape: [16, 8] },
      { name: 'model.layers.0.mlp.down_proj.weight', shape: [8, 16] },
      { name: 'model.layers.0.input_layernorm.weight', shape: [8] },
      { name: 'model.layers.0.post_attention_layernorm.weight', shape: [8] },
      { name: 'model.norm.weight', shape: [8] },
    ]);
  });

  it('an explicit head_dim sets the attention widths', () => {
    const config = parseModelConfig({ ...minimal, head_dim: 6, num_key_value_heads: 1 });
    expect(projectionShape(config, 'q')).toEqual({ inFeatures: 8, outFeatures: 12 });
    expect(projectionShape(config, 'k')).toEqual({ inFeatures: 8, outFeatures: 6 });
    expect(projectionShape(config, 'o')).toEqual({ inFeatures: 12, outFeatures: 8 });
    expect(projectionShape(config, 'down')).toEqual({ inFeatures: 16, outFeatures: 8 });
  });

  it('module names', () => {
    expect(projectionModuleName(3, 'v')).toBe('model.layers.3.self_attn.v_proj');
    expect(projectionModuleName(0, 'gate')).toBe('model.layers.0.mlp.gate_proj');
  });
});

describe('ropeInverseFrequencies', () => {
  it('plain RoPE: 1 / theta^(2i / head_dim)', () => {
    const config = parseModelConfig({ ...minimal, num_attention_heads: 1, rope_theta: 10000 });
    expect([...ropeInverseFrequencies(config)]).toEqual([1, 1 / 10000 ** 0.25, 1 / 10000 ** 0.5, 1 / 10000 ** 0.75]);
  });

  it('linear scaling divides every frequency by the factor', () => {
    const config = parseModelConfig({ ...minimal, rope_scaling: { type: 'linear', factor: 4 } });
    expect([...ropeInverseFrequencies(config)]).toEqual([0.25, 0.25 / 100]);
  });

  // llama3 scaling is checked against PyTorch in fixtures.test.ts (test/fixtures/rope-llama3).
});
