import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkpointParameters, ropeInverseFrequencies } from '../../../src/models/architecture.ts';
import { parseModelConfigText, type ModelConfig } from '../../../src/models/config.ts';
import { adapterConfig, loraParameters, loraScaling, parseAdapterConfigText, type LoraSpec } from '../../../src/models/lora.ts';
import { readSafetensors, type SafetensorsFile } from '../../../src/models/safetensors.ts';
import { FIXTURES } from '../../support/fixtures.ts';
import { relativeError } from '../../support/relative-error.ts';

/**
 * The PyTorch reference fixtures (scripts/fixtures/make_fixtures.py) are loadable with our readers and
 * consistent with our naming: this is what lets the graph tests trust them in CI, where PyTorch is absent.
 */

const fixtures = new URL('../../fixtures/', import.meta.url);
const read = (dir: string, file: string) => readFileSync(new URL(`${dir}/${file}`, fixtures));
const tensors = (dir: string, file: string): SafetensorsFile => readSafetensors(read(dir, file), `${dir}/${file}`);

/** The fixture contract's loss, in float64: sum(mask * -log_softmax(logits)[label]) / max(sum(mask), 1). */
function maskedTokenLoss(logits: ArrayLike<number>, labels: ArrayLike<number>, lossMask: ArrayLike<number>, vocab: number): number {
  let total = 0;
  let count = 0;
  for (let row = 0; row < labels.length; row++) {
    count += lossMask[row]!;
    if (lossMask[row] === 0) continue;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) max = Math.max(max, logits[row * vocab + v]!);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(logits[row * vocab + v]! - max);
    const logProb = logits[row * vocab + labels[row]!]! - max - Math.log(sum);
    total += lossMask[row]! * -logProb;
  }
  return total / Math.max(count, 1);
}

describe.each(FIXTURES)('fixture %s', (dir) => {
  const config: ModelConfig = parseModelConfigText(read(dir, 'config.json').toString('utf8'), `${dir}/config.json`);
  const { spec, baseModelNameOrPath } = parseAdapterConfigText(read(dir, 'adapter_config.json').toString('utf8'));
  const model = tensors(dir, 'model.safetensors');
  const adapter = tensors(dir, 'adapter_model.safetensors');
  const batch = tensors(dir, 'batch.safetensors');
  const expected = tensors(dir, 'expected.safetensors');
  const expected64 = tensors(dir, 'expected-f64.safetensors');
  const lora = loraParameters(config, spec);
  const [B, T] = batch.info('input_ids').shape as [number, number];
  const V = config.vocabSize;

  it('config.json parses to what the reference used', () => {
    const reference = JSON.parse(expected.metadata.reference_config!) as Record<string, unknown>;
    for (const [key, value] of Object.entries(reference)) expect(config[key as keyof ModelConfig], key).toEqual(value);
  });

  it('model.safetensors holds exactly the checkpoint tensors, HF names and shapes, F32', () => {
    const wanted = checkpointParameters(config);
    expect([...model.tensors.keys()].sort()).toEqual(wanted.map((p) => p.name).sort());
    for (const p of wanted) expect(model.info(p.name), p.name).toMatchObject({ dtype: 'F32', shape: p.shape });
  });

  it('adapter_config.json is the spec of the fixture contract, in the layout we export', () => {
    expect(spec).toEqual({ r: 4, alpha: 8, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], dropout: 0 } satisfies LoraSpec);
    expect(JSON.parse(read(dir, 'adapter_config.json').toString('utf8'))).toEqual(adapterConfig(spec, baseModelNameOrPath));
    const meta = JSON.parse(expected.metadata.lora!) as { scaling: number };
    expect(meta.scaling).toBe(loraScaling(spec));
  });

  it('adapter_model.safetensors holds exactly the LoRA tensors, PEFT names and shapes; A in PEFT init range, B non-zero', () => {
    expect([...adapter.tensors.keys()].sort()).toEqual(lora.map((p) => p.name).sort());
    for (const p of lora) {
      expect(adapter.info(p.name), p.name).toMatchObject({ dtype: 'F32', shape: p.shape });
      const values = adapter.float32(p.name);
      if (p.matrix === 'A') expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(p.shape[1]));
      else expect(values.some((v) => v !== 0)).toBe(true);
    }
  });

  it('batch.safetensors follows the contract: right padding, shifted labels, loss only on real targets', () => {
    expect(batch.info('input_ids')).toMatchObject({ dtype: 'I64', shape: [2, 8] });
    for (const name of ['attention_mask', 'labels', 'loss_mask']) expect(batch.info(name), name).toMatchObject({ dtype: 'F32', shape: [B, T] });
    const ids = Array.from(batch.int64('input_ids'), Number);
    const mask = batch.float32('attention_mask');
    const labels = batch.float32('labels');
    const lossMask = batch.float32('loss_mask');
    let padded = 0;
    for (let b = 0; b < B; b++) {
      const row = (t: number) => b * T + t;
      expect(mask[row(0)]).toBe(1);
      for (let t = 0; t < T; t++) {
        expect([0, 1]).toContain(mask[row(t)]);
        expect([0, 1]).toContain(lossMask[row(t)]);
        if (t > 0) expect(mask[row(t)]).toBeLessThanOrEqual(mask[row(t - 1)]!); // right padding only
        expect(ids[row(t)]).toBeLessThan(V);
        expect(labels[row(t)]).toBe(t < T - 1 ? ids[row(t + 1)] : 0);
        if (lossMask[row(t)] === 1) expect(mask[row(t + 1)]).toBe(1); // the target is a real token
        padded += 1 - mask[row(t)]!;
      }
      expect(lossMask[row(0)]).toBe(0); // the prompt is excluded
    }
    expect(padded).toBeGreaterThan(0);
  });

  it('expected files: logits [B, T, V], scalar loss, a gradient for every LoRA tensor, in F32 and F64', () => {
    for (const [file, dtype] of [[expected, 'F32'], [expected64, 'F64']] as const) {
      expect([...file.tensors.keys()].sort()).toEqual(['logits', 'loss', ...lora.map((p) => p.name)].sort());
      expect(file.info('logits')).toMatchObject({ dtype, shape: [B, T, V] });
      expect(file.info('loss')).toMatchObject({ dtype, shape: [] });
      for (const p of lora) expect(file.info(p.name), p.name).toMatchObject({ dtype, shape: p.shape });
    }
  });

  it('the stored loss is the contract loss of the stored logits', () => {
    const labels = batch.float32('labels');
    const lossMask = batch.float32('loss_mask');
    const loss32 = maskedTokenLoss(expected.float32('logits'), labels, lossMask, V);
    expect(Math.abs(loss32 - expected.float32('loss')[0]!) / loss32).toBeLessThan(1e-6);
    const loss64 = maskedTokenLoss(expected64.float64('logits'), labels, lossMask, V);
    expect(Math.abs(loss64 - expected64.float64('loss')[0]!) / loss64).toBeLessThan(1e-12);
  });

  it('float32 and float64 references agree well within the 1e-4 bar; every gradient is non-trivial', () => {
    expect(relativeError(expected.float64('logits'), expected64.float64('logits'))).toBeLessThan(1e-5);
    for (const p of lora) {
      expect(relativeError(expected.float64(p.name), expected64.float64(p.name)), p.name).toBeLessThan(2e-5);
      expect(expected64.float64(p.name).some((g) => Math.abs(g) > 1e-6), p.name).toBe(true);
    }
  });

  it("RoPE frequencies agree with the reference's", () => {
    const intermediates = tensors(dir, 'intermediates.safetensors');
    expect(relativeError(ropeInverseFrequencies(config), intermediates.float64('rope.inv_freq'))).toBeLessThan(1e-6);
  });

  it('every file is small (< 1 MB)', () => {
    for (const file of readdirSync(new URL(`${dir}/`, fixtures))) {
      expect(statSync(new URL(`${dir}/${file}`, fixtures)).size, file).toBeLessThan(1 << 20);
    }
  });
});

describe('fixture rope-llama3', () => {
  it('llama3-scaled inverse frequencies equal PyTorch (transformers formula)', () => {
    const config = parseModelConfigText(read('rope-llama3', 'config.json').toString('utf8'));
    expect(config.ropeScaling?.type).toBe('llama3');
    const reference = tensors('rope-llama3', 'inv_freq.safetensors');
    expect(relativeError(ropeInverseFrequencies(config), reference.float64('inv_freq'))).toBeLessThan(1e-12);
    expect(relativeError(ropeInverseFrequencies({ ...config, ropeScaling: null }), reference.float64('unscaled'))).toBeLessThan(1e-12);
    // transformers computes them in float32; that rounding is all that separates the two.
    expect(relativeError(ropeInverseFrequencies(config), reference.float64('inv_freq_f32'))).toBeLessThan(1e-6);
  });
});
