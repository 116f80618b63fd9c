import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadBaseWeights, WeightsError } from '../../../src/models/base-weights.ts';
import { checkpointParameters } from '../../../src/models/architecture.ts';
import { parseModelConfigText } from '../../../src/models/config.ts';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/models/safetensors.ts';

const dir = new URL('../../fixtures/tiny-qwen2/', import.meta.url);
const config = parseModelConfigText(readFileSync(new URL('config.json', dir), 'utf8'));
const fixture = readSafetensors(readFileSync(new URL('model.safetensors', dir)));

/** The fixture checkpoint rewritten with `edit` applied to its tensor table. */
function checkpoint(edit: (t: Record<string, TensorToWrite>) => void) {
  const tensors: Record<string, TensorToWrite> = {};
  for (const name of fixture.tensors.keys()) tensors[name] = { dtype: 'F32', shape: fixture.info(name).shape, data: fixture.float32(name) };
  edit(tensors);
  return readSafetensors(writeSafetensors(tensors), 'model.safetensors');
}

describe('loadBaseWeights', () => {
  test('reads every tensor the config needs, float32, by checkpoint name', () => {
    const { weights, ignored } = loadBaseWeights(config, [{ name: 'model.safetensors', file: fixture }]);
    expect([...weights.keys()]).toEqual(checkpointParameters(config).map((p) => p.name));
    expect(weights.get('model.norm.weight')).toEqual(fixture.float32('model.norm.weight'));
    expect(ignored).toEqual([]);
  });

  test('converts BF16, accepts shards, ignores rotary buffers', () => {
    const bf16 = checkpoint((t) => {
      t['model.embed_tokens.weight'] = { dtype: 'BF16', shape: t['model.embed_tokens.weight']!.shape, data: t['model.embed_tokens.weight']!.data as Float32Array };
      t['model.layers.0.self_attn.rotary_emb.inv_freq'] = { dtype: 'F32', shape: [4], data: new Float32Array(4) };
    });
    const names = [...bf16.tensors.keys()];
    const half = (keep: (n: string) => boolean) =>
      readSafetensors(writeSafetensors(Object.fromEntries(names.filter(keep).map((n) => [n, { dtype: 'F32' as const, shape: bf16.info(n).shape, data: bf16.float32(n) }]))));
    const shards = [
      { name: 'a.safetensors', file: half((n) => n.startsWith('model.layers.0')) },
      { name: 'b.safetensors', file: half((n) => !n.startsWith('model.layers.0')) },
    ];
    const { weights, ignored } = loadBaseWeights(config, shards);
    expect(ignored).toEqual(['model.layers.0.self_attn.rotary_emb.inv_freq']);
    const embed = weights.get('model.embed_tokens.weight')!;
    const exact = fixture.float32('model.embed_tokens.weight');
    expect(Math.max(...embed.map((v, i) => Math.abs(v - exact[i]!) / Math.abs(exact[i]! || 1)))).toBeLessThan(2 ** -8);
  });

  test('names the tensor and file at fault: missing, wrong shape, a tensor of another model, in two shards', () => {
    const load = (file: ReturnType<typeof checkpoint>) => () => loadBaseWeights(config, [{ name: 'model.safetensors', file }]);
    expect(load(checkpoint((t) => delete t['model.layers.1.mlp.up_proj.weight']))).toThrow(
      new WeightsError('model.safetensors: tensor "model.layers.1.mlp.up_proj.weight" is missing (the config needs it, shape [48, 32])'),
    );
    expect(load(checkpoint((t) => (t['model.norm.weight'] = { dtype: 'F32', shape: [31], data: new Float32Array(31) })))).toThrow(
      'model.safetensors: tensor "model.norm.weight" has shape [31], the config needs [32]',
    );
    expect(load(checkpoint((t) => (t['model.layers.2.mlp.up_proj.weight'] = { dtype: 'F32', shape: [1], data: new Float32Array(1) })))).toThrow(
      'tensor "model.layers.2.mlp.up_proj.weight" is not part of a Qwen2ForCausalLM with this config',
    );
    expect(() => loadBaseWeights(config, [{ name: 'a', file: fixture }, { name: 'b', file: fixture }])).toThrow(/^b: tensor "[^"]+" is also in a$/);
  });
});
