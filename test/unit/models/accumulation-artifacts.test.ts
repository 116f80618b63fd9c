// The artifacts of gradient accumulation (models/artifacts.ts `accumulation`): the accumulate and apply graphs'
// inputs and outputs, the manifest section that names them, and what parseManifest refuses or migrates.
import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, test } from 'vitest';
import { ModelProtoSchema, type ModelProto } from '../../../src/graph/onnx/gen/onnx_pb.ts';
import { placementProblems } from '../../../src/graph/onnx/placement.ts';
import { buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { parseLoraSpec } from '../../../src/models/lora.ts';
import { MANIFEST_VERSION, parseManifest } from '../../../src/models/manifest.ts';
import { tinyLlamaConfig, tinyQwen2Config } from '../../support/tiny-models.ts';

const lora = parseLoraSpec({ r: 4, alpha: 8, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] });
const build = (options: Partial<Parameters<typeof buildTrainingArtifacts>[0]> = {}) =>
  buildTrainingArtifacts({ config: tinyLlamaConfig, weights: randomBaseWeights(options.config ?? tinyLlamaConfig, 1), lora, batchSize: 2, seqLen: 6, accumulation: true, ...options });
const model = (bytes: Uint8Array): ModelProto => fromBinary(ModelProtoSchema, bytes);
const names = (values: readonly { name: string }[]) => values.map((v) => v.name);

describe('accumulation artifacts', () => {
  const a = build();

  test('accumulate: the batch, adapter, running sums and the loss denominator in; the sums out', () => {
    const weights = a.manifest.weights.placement === 'inputs' ? names(a.manifest.weights.tensors) : [];
    const g = model(a.accumulation!.accumulateOnnx).graph!;
    expect(names(g.input)).toEqual(['input_ids', 'attention_mask', 'labels', 'loss_mask', 'adapter', 'loss_denominator', 'loss_sum', 'adapter.grad_sum', ...weights]);
    expect(names(g.output)).toEqual(['loss_sum.next', 'adapter.grad_sum.next']);
    const scalar = g.input.find((i) => i.name === 'loss_denominator')!.type!.value;
    expect(scalar.case === 'tensorType' && scalar.value.shape!.dim.length).toBe(0);
  });

  test('apply: no batch and no weights, the fused step names (as trainStep.updates) and the gradient norm', () => {
    const g = model(a.accumulation!.applyOnnx).graph!;
    expect(names(g.input)).toEqual(['adapter', 'adapter.grad_sum', 'lr', 'step', 'adapter.adam_m', 'adapter.adam_v']);
    expect(names(g.output)).toEqual(['adapter.next', 'adapter.adam_m.next', 'adapter.adam_v.next', 'grad_norm']);
    // Clipping and AdamW over the flat vector only: a few dozen elementwise nodes.
    expect(g.node.length).toBeLessThan(40);
    expect(a.manifest.accumulation).toEqual({
      accumulate: {
        file: 'accumulate.onnx',
        lossDenominator: 'loss_denominator',
        lossSum: { input: 'loss_sum', output: 'loss_sum.next' },
        gradientSums: [{ input: 'adapter.grad_sum', output: 'adapter.grad_sum.next', of: 'adapter' }],
      },
      apply: { file: 'apply.onnx', lr: 'lr', step: 'step', gradNorm: 'grad_norm', updates: a.manifest.trainStep.updates },
    });
    const unclipped = build({ maxGradNorm: null });
    expect(unclipped.manifest.accumulation!.apply.gradNorm).toBeNull();
    expect(names(model(unclipped.accumulation!.applyOnnx).graph!.output)).not.toContain('grad_norm');
  });

  test('the fused train step is the same with or without accumulation; without it there are no accumulation graphs', () => {
    const plain = build({ accumulation: false });
    expect(plain.accumulation).toBeNull();
    expect(plain.manifest.accumulation).toBeNull();
    expect(a.trainStepOnnx).toEqual(plain.trainStepOnnx);
    expect(a.forwardOnnx).toEqual(plain.forwardOnnx);
  });

  test('both accumulation graphs pass the WebGPU placement scan, for Llama and Qwen2', () => {
    for (const config of [tinyLlamaConfig, tinyQwen2Config]) {
      const graphs = build({ config }).accumulation!;
      expect(placementProblems(model(graphs.accumulateOnnx))).toEqual([]);
      expect(placementProblems(model(graphs.applyOnnx))).toEqual([]);
    }
  });
});

describe('manifest with accumulation', () => {
  const a = build();
  const json = () => JSON.parse(JSON.stringify(a.manifest)) as Record<string, unknown>;
  const accumulation = (m: Record<string, unknown>) => m['accumulation'] as { accumulate: Record<string, unknown>; apply: Record<string, unknown> };
  const broken = (edit: (m: Record<string, unknown>) => void) => {
    const m = json();
    edit(m);
    return () => parseManifest(m);
  };

  test('round trips through JSON; version 1 (before accumulation) reads as version 2 without it', () => {
    expect(MANIFEST_VERSION).toBe(2);
    expect(parseManifest(json())).toEqual(a.manifest);
    const v1 = json();
    v1['version'] = 1;
    delete v1['accumulation'];
    expect(parseManifest(v1)).toEqual({ ...a.manifest, accumulation: null });
    // Version 2 must say whether it has accumulation; version 1 cannot have it.
    expect(broken((m) => delete m['accumulation'])).toThrow('field "accumulation"');
    expect(broken((m) => (m['version'] = 1))).toThrow('field "version"');
  });

  test('refuses inconsistent accumulation sections, naming the field', () => {
    const sums = (m: Record<string, unknown>) => accumulation(m).accumulate['gradientSums'] as Record<string, unknown>[];
    expect(broken((m) => (sums(m)[0]!['of'] = 'adapter.adam_m'))).toThrow('field "accumulation.accumulate.gradientSums.0.of": adapter.adam_m is not a trainable input');
    expect(broken((m) => sums(m).push({ ...sums(m)[0], input: 'other' }))).toThrow('adapter has two gradient sums');
    expect(broken((m) => (sums(m).length = 0))).toThrow('field "accumulation.accumulate.gradientSums"');
    expect(broken((m) => (sums(m)[0]!['input'] = 'loss_mask'))).toThrow('field "accumulation.accumulate.gradientSums.0.input": loss_mask names two inputs');
    expect(broken((m) => ((accumulation(m).accumulate['lossSum'] as Record<string, string>)['input'] = 'adapter'))).toThrow('adapter names two inputs');
    expect(broken((m) => delete (accumulation(m).apply['updates'] as Record<string, string>)['adapter.adam_m.next'])).toThrow(
      'field "accumulation.apply.updates": no output updates the input adapter.adam_m',
    );
    expect(broken((m) => (accumulation(m).apply['gradNorm'] = null))).toThrow('field "accumulation.apply.gradNorm"');
    expect(broken((m) => (accumulation(m).apply['file'] = '../apply.onnx'))).toThrow('field "accumulation.apply.file"');
  });
});
