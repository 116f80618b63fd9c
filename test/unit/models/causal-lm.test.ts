import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { liveNodes } from '../../../src/graph/onnx/emit.ts';
import { appendPackedTrainStep } from '../../../src/graph/optim/packed-train-step.ts';
import { buildCausalLM, checkCausalLMSpec } from '../../../src/models/causal-lm.ts';
import { frozenTensors } from '../../../src/models/frozen-layout.ts';
import { ConfigError } from '../../../src/models/config-error.ts';
import { parseModelConfigText } from '../../../src/models/config.ts';
import { loraParameters, parseLoraSpec } from '../../../src/models/lora.ts';
import { readSafetensors } from '../../../src/models/safetensors.ts';
import { tinyLlamaConfig, tinyQwen2Config, tinyQwen3Config } from '../../support/tiny-models.ts';

const lora = parseLoraSpec({ r: 2, alpha: 4, targets: ['q', 'v', 'down'] });
const spec = { config: tinyLlamaConfig, lora, batchSize: 2, seqLen: 5 };

describe('buildCausalLM', () => {
  test('inputs: the batch, then the packed adapter (PEFT names in loraParameters order); base weights are initializers', () => {
    const m = buildCausalLM(spec);
    expect(m.graph.inputs.map((t) => `${t.name}:${t.dtype}[${t.shape.join(',')}]`)).toEqual([
      'input_ids:int64[2,5]',
      'attention_mask:float32[2,5]',
      'labels:float32[2,5]',
      'loss_mask:float32[2,5]',
      `adapter:float32[${loraParameters(tinyLlamaConfig, lora).reduce((n, p) => n + p.shape[0] * p.shape[1], 0)}]`,
    ]);
    expect(m.adapter.layout.map((p) => p.name)).toEqual(loraParameters(tinyLlamaConfig, lora).map((p) => p.name));
    expect(m.frozen.map((t) => t.name)).toEqual(frozenTensors(tinyLlamaConfig, 'stored').map((p) => p.name));
    expect(m.frozen.every((t) => t.data === undefined)).toBe(true); // no weights given: to be emitted as inputs
    expect(m.logits.shape).toEqual([2, 5, 64]);
    expect(m.loss.shape).toEqual([]);
  });

  test('the forward reads every LoRA part and every frozen weight in its layout; the train step also the layouts of x\'s gradient', () => {
    for (const config of [tinyLlamaConfig, tinyQwen2Config, tinyQwen3Config]) {
      const reads = (m: ReturnType<typeof buildCausalLM>) => new Set(liveNodes(m.graph).flatMap((n) => n.inputs));
      const m = buildCausalLM({ ...spec, config });
      m.graph.output('loss', m.loss);
      const read = reads(m);
      // x's gradient's layouts: a [out, in] weight whose W^T is there too.
      const backward = new Set(m.frozen.filter((t) => m.frozen.some((u) => u.name === `${t.name}.T`)).map((t) => t.name));
      // Per layer qkv, o, gate_up and down; and the head's [V, H] (the embedding itself when tied).
      expect(backward.size, config.architecture).toBe(4 * config.numHiddenLayers + 1);
      for (const t of m.adapter.parts) expect(read.has(t), t.name).toBe(true);
      // The tied embedding is the gather table as well as the head's [V, H] layout.
      for (const t of m.frozen) expect(read.has(t), t.name).toBe(!backward.has(t.name) || t.name === 'model.embed_tokens.weight');
      const train = buildCausalLM({ ...spec, config }, undefined, 'train_step', { lossChunkBytes: 1e6 });
      appendPackedTrainStep({ loss: train.loss, params: train.adapter });
      const trainRead = reads(train);
      // Layer 0's q, k, v read the embeddings, which get no gradient: no x gradient there.
      for (const t of train.frozen) expect(trainRead.has(t), t.name).toBe(t.name !== 'model.layers.0.self_attn.qkv_proj.weight');
      const names = m.frozen.map((t) => t.name);
      if (config === tinyQwen2Config) {
        expect(names).toContain('model.layers.0.self_attn.qkv_proj.bias');
        expect(names).toContain('lm_head.weight.T');
        expect(names).not.toContain('model.layers.0.self_attn.o_proj.bias');
      } else {
        expect(names.some((n) => n.endsWith('_norm.weight') && n.includes('self_attn')), config.architecture).toBe(config === tinyQwen3Config);
        expect(names.some((n) => n.endsWith('.bias'))).toBe(false);
        expect(names.filter((n) => n.startsWith('lm_head'))).toEqual([]);
      }
    }
  });

  test('float64 graphs take float64 batches, adapter and weights (input_ids stays int64)', () => {
    const m = buildCausalLM({ ...spec, dtype: 'float64' });
    expect(m.graph.inputs.map((t) => t.dtype)).toEqual(['int64', 'float64', 'float64', 'float64', 'float64']);
    expect(m.frozen.every((t) => t.dtype === 'float64')).toBe(true);
  });

  test('refuses what it does not implement, naming the setting', () => {
    const refuse = (s: Parameters<typeof checkCausalLMSpec>[0], field: string, text: string) => {
      let error: unknown;
      try {
        checkCausalLMSpec(s);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
      expect((error as Error).message).toContain(text);
    };
    refuse({ ...spec, lora: { ...lora, dropout: 0.05 } }, 'dropout', 'LoRA dropout 0.05 is not supported');
    refuse({ ...spec, seqLen: 129 }, 'seq', "exceeds the model's max_position_embeddings (128)");
    refuse({ ...spec, batchSize: 0 }, 'batch', 'batch size must be a positive integer');
    refuse({ ...spec, config: { ...tinyLlamaConfig, vocabSize: 2 ** 24 + 1 } }, 'vocab_size', 'not exact in float32 labels');
    expect(() => checkCausalLMSpec({ ...spec, config: { ...tinyLlamaConfig, vocabSize: 2 ** 24 + 1 }, dtype: 'float64' })).not.toThrow();
  });

  test('scaled RoPE (llama3): the rotary tables are cos/sin of t * the scaled inverse frequencies of the PyTorch fixture', () => {
    const fixture = new URL('../../fixtures/rope-llama3/', import.meta.url);
    const config = parseModelConfigText(readFileSync(new URL('config.json', fixture), 'utf8'));
    const reference = readSafetensors(readFileSync(new URL('inv_freq.safetensors', fixture))).float32('inv_freq_f32');
    const t = 32;
    const d = config.headDim;
    const m = buildCausalLM({ config, lora, batchSize: 1, seqLen: t });
    // The key's tables are the unscaled ones ([T, 1, D] constants; the query's carry 1/sqrt(D)).
    const tables = m.graph.constants.filter((c) => c.shape.join() === `${t},1,${d}`);
    const expectedCos = Array.from({ length: t * d }, (_, i) => Math.cos(Math.fround(Math.floor(i / d) * reference[i % d % (d / 2)]!)));
    const keyCos = tables.find((c) => Math.abs((c.data as Float32Array)[d]! - expectedCos[d]!) < 1e-6 && (c.data as Float32Array)[0] === 1);
    expect(keyCos).toBeDefined();
    const data = keyCos!.data as Float32Array;
    expectedCos.forEach((v, i) => expect(Math.abs(data[i]! - v)).toBeLessThan(2e-6));
    // and they differ from unscaled RoPE, which would be wrong for this config
    const unscaled = readSafetensors(readFileSync(new URL('inv_freq.safetensors', fixture))).float64('unscaled');
    const unscaledCos = Array.from({ length: t * d }, (_, i) => Math.cos(Math.floor(i / d) * unscaled[i % d % (d / 2)]!));
    expect(Math.max(...unscaledCos.map((v, i) => Math.abs(v - data[i]!)))).toBeGreaterThan(0.1);
  });
});
