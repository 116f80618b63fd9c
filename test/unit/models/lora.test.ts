import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../src/models/config.ts';
import { ConfigError } from '../../../src/models/config-error.ts';
import {
  adapterConfig,
  adapterConfigText,
  initLoraWeights,
  loraParameters,
  loraScaling,
  loraTensorNames,
  parseAdapterConfig,
  parseAdapterConfigText,
  parseLoraSpec,
  type LoraSpec,
} from '../../../src/models/lora.ts';

// hidden 8, 2 heads of 4, 1 kv head, intermediate 16, 2 layers.
const config = parseModelConfig({
  model_type: 'llama',
  vocab_size: 10,
  hidden_size: 8,
  intermediate_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
});
const allTargets: LoraSpec = { r: 2, alpha: 4, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], dropout: 0 };

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('LoRA spec', () => {
  it('validates, defaults dropout to 0 and orders targets canonically', () => {
    expect(parseLoraSpec({ r: 8, alpha: 16, targets: ['v', 'q'] })).toEqual({ r: 8, alpha: 16, targets: ['q', 'v'], dropout: 0 });
    expect(loraScaling({ r: 8, alpha: 16, targets: ['q'], dropout: 0 })).toBe(2);
  });

  it.each([
    ['rank 0', { r: 0, alpha: 1, targets: ['q'] }, /^LoRA settings: field "r": /],
    ['fractional rank', { r: 1.5, alpha: 1, targets: ['q'] }, /field "r": .*\(got 1\.5\)/],
    ['negative alpha', { r: 1, alpha: -1, targets: ['q'] }, /field "alpha": /],
    ['no targets', { r: 1, alpha: 1, targets: [] }, /field "targets": /],
    ['unknown target', { r: 1, alpha: 1, targets: ['q', 'lm_head'] }, /field "targets.1": .*\(got "lm_head"\)/],
    ['repeated target', { r: 1, alpha: 1, targets: ['q', 'q'] }, /field "targets": targets must not repeat/],
    ['dropout 1', { r: 1, alpha: 1, targets: ['q'], dropout: 1 }, /field "dropout": /],
  ])('refuses %s', (_, input, message) => {
    expect(errorOf(() => parseLoraSpec(input)).message).toMatch(message);
  });
});

describe('PEFT names and shapes', () => {
  it('names tensors as PEFT saves them (adapter name dropped)', () => {
    expect(loraTensorNames(0, 'q')).toEqual({
      a: 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight',
      b: 'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight',
    });
    expect(loraTensorNames(11, 'down').b).toBe('base_model.model.model.layers.11.mlp.down_proj.lora_B.weight');
  });

  it('A is [r, in], B is [out, r], for every layer and target', () => {
    const params = loraParameters(config, allTargets);
    expect(params).toHaveLength(2 * 7 * 2);
    const shape = (layer: number, target: string, matrix: string) =>
      params.find((p) => p.layer === layer && p.target === target && p.matrix === matrix)?.shape;
    expect(shape(1, 'q', 'A')).toEqual([2, 8]);
    expect(shape(1, 'q', 'B')).toEqual([8, 2]);
    expect(shape(0, 'k', 'B')).toEqual([4, 2]); // one kv head of 4
    expect(shape(0, 'o', 'A')).toEqual([2, 8]);
    expect(shape(0, 'up', 'B')).toEqual([16, 2]);
    expect(shape(0, 'down', 'A')).toEqual([2, 16]);
    expect(params.slice(0, 3).map((p) => p.name)).toEqual([
      'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight',
      'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight',
      'base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight',
    ]);
  });

  it('only the chosen targets', () => {
    const params = loraParameters(config, { ...allTargets, targets: ['v', 'q'] });
    expect(new Set(params.map((p) => p.target))).toEqual(new Set(['q', 'v']));
    expect(params).toHaveLength(2 * 2 * 2);
  });
});

describe('initLoraWeights (PEFT default: A kaiming-uniform, B zero)', () => {
  const weights = initLoraWeights(config, allTargets, 7);

  it('gives every tensor of loraParameters, A within +-1/sqrt(in) and spread over it, B zero', () => {
    for (const p of loraParameters(config, allTargets)) {
      const values = weights.get(p.name)!;
      expect(values).toHaveLength(p.shape[0] * p.shape[1]);
      if (p.matrix === 'B') {
        expect(values.every((v) => v === 0)).toBe(true);
      } else {
        const bound = 1 / Math.sqrt(p.shape[1]);
        expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
        expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(bound / 2);
        expect(new Set(values).size).toBe(values.length);
      }
    }
  });

  it('is reproducible by seed', () => {
    const name = loraTensorNames(1, 'gate').a;
    expect(initLoraWeights(config, allTargets, 7).get(name)).toEqual(weights.get(name));
    expect(initLoraWeights(config, allTargets, 8).get(name)).not.toEqual(weights.get(name));
  });
});

describe('adapter_config.json', () => {
  it('writes the fields PEFT reads, with sorted keys', () => {
    const json = adapterConfig(allTargets, 'HuggingFaceTB/SmolLM2-135M-Instruct');
    expect(json).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 2,
      lora_alpha: 4,
      lora_dropout: 0,
      target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
      base_model_name_or_path: 'HuggingFaceTB/SmolLM2-135M-Instruct',
      bias: 'none',
      use_dora: false,
      use_rslora: false,
    });
    const text = adapterConfigText(allTargets, null);
    const keys = Object.keys(JSON.parse(text) as object);
    expect(keys).toEqual([...keys].sort());
    expect(text.split('\n')[1]).toBe('  "alpha_pattern": {},');
  });

  it('reads back what it writes', () => {
    const spec = { r: 16, alpha: 32, targets: ['q', 'v'], dropout: 0.05 } as const;
    expect(parseAdapterConfigText(adapterConfigText(spec, 'base'))).toEqual({ spec, baseModelNameOrPath: 'base' });
  });

  it('reads an adapter_config.json of a recent PEFT, extra fields and all-linear included', () => {
    const saved = {
      alora_invocation_tokens: null,
      alpha_pattern: {},
      arrow_config: null,
      auto_mapping: null,
      base_model_name_or_path: 'Qwen/Qwen2.5-0.5B-Instruct',
      bias: 'none',
      corda_config: null,
      ensure_weight_tying: false,
      eva_config: null,
      exclude_modules: null,
      fan_in_fan_out: false,
      inference_mode: true,
      init_lora_weights: true,
      layer_replication: null,
      layers_pattern: null,
      layers_to_transform: null,
      loftq_config: {},
      lora_alpha: 16,
      lora_bias: false,
      lora_dropout: 0.05,
      megatron_config: null,
      megatron_core: 'megatron.core',
      modules_to_save: null,
      peft_type: 'LORA',
      peft_version: '0.17.1',
      qalora_group_size: 16,
      r: 8,
      rank_pattern: {},
      revision: null,
      target_modules: 'all-linear',
      target_parameters: null,
      task_type: 'CAUSAL_LM',
      trainable_token_indices: null,
      use_dora: false,
      use_qalora: false,
      use_rslora: false,
    };
    expect(parseAdapterConfig(saved)).toEqual({
      spec: { r: 8, alpha: 16, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], dropout: 0.05 },
      baseModelNameOrPath: 'Qwen/Qwen2.5-0.5B-Instruct',
    });
    expect(parseAdapterConfig({ peft_type: 'LORA', r: 4, lora_alpha: 8, target_modules: ['v_proj', 'q_proj', 'q_proj'] }).spec.targets).toEqual(['q', 'v']);
  });

  const base = { peft_type: 'LORA', task_type: 'CAUSAL_LM', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] };
  it.each([
    ['another PEFT method', { ...base, peft_type: 'IA3' }, 'adapter_config.json: field "peft_type": only LoRA adapters are supported (peft_type "LORA") (got "IA3")'],
    ['another task', { ...base, task_type: 'SEQ_CLS' }, /field "task_type": only causal-LM adapters are supported/],
    ['missing r', { ...base, r: undefined }, /field "r": .*\(got nothing \(the field is missing\)\)/],
    ['DoRA', { ...base, use_dora: true }, /field "use_dora": DoRA is not supported/],
    ['rsLoRA', { ...base, use_rslora: true }, /field "use_rslora": rank-stabilised LoRA/],
    ['trained biases', { ...base, bias: 'all' }, /field "bias": trained biases are not supported/],
    ['a regex target', { ...base, target_modules: '.*attn.*' }, /field "target_modules": the pattern ".\*attn.\*" is not supported/],
    ['an unknown module', { ...base, target_modules: ['q_proj', 'lm_head'] }, 'adapter_config.json: field "target_modules.1": "lm_head" is not a supported module (supported: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)'],
    ['modules_to_save', { ...base, modules_to_save: ['lm_head'] }, /field "modules_to_save": modules_to_save \(fully trained modules\) is not supported/],
    ['some layers only', { ...base, layers_to_transform: [0, 1] }, /field "layers_to_transform": adapting only some layers \(layers_to_transform\) is not supported \(got \[0,1\]\)/],
    ['a rank pattern', { ...base, rank_pattern: { q_proj: 4 } }, /field "rank_pattern": a per-module rank_pattern is not supported/],
    ['excluded modules', { ...base, exclude_modules: ['model.layers.0.self_attn.q_proj'] }, /field "exclude_modules": exclude_modules is not supported/],
    ['trainable tokens', { ...base, trainable_token_indices: [1, 2] }, /field "trainable_token_indices": trainable_token_indices \(trained embedding rows\) is not supported/],
    ['an exclude pattern', { ...base, exclude_modules: '.*layers.0.*' }, /field "exclude_modules": exclude_modules is not supported/],
    ['fan_in_fan_out', { ...base, fan_in_fan_out: true }, /field "fan_in_fan_out": /],
    ['not an object', 'LORA', 'adapter_config.json: must be a JSON object'],
  ])('refuses %s, naming the field', (_, json, message) => {
    const error = errorOf(() => parseAdapterConfig(json));
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('names the line and column of a JSON syntax error', () => {
    expect(() => parseAdapterConfigText('{\n  "r": 8,,\n}')).toThrow(/^adapter_config\.json: line 2, column 10: not valid JSON/);
  });
});
