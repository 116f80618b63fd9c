// The emitted train step of a toy LoRA decoder block (attention + SwiGLU MLP + LM head + masked CE)
// is scanned against the WebGPU deny-list, and checked for leanness: one Transpose per weight.
import { create, fromBinary } from '@bufbuild/protobuf';
import { describe, expect, test } from 'vitest';
import { ModelProtoSchema, NodeProtoSchema } from '../../../src/graph/onnx/gen/onnx_pb.ts';
import { placementProblems } from '../../../src/graph/onnx/placement.ts';
import { buildToyTrainStep, toyTrainable, toyWeights } from '../../support/toy-model.ts';

function toyTrainStepModel(frozenAsInputs: boolean) {
  const { model } = buildToyTrainStep({ seed: 'placement', frozenAsInputs, maxGradNorm: 1, outputGradients: true });
  return fromBinary(ModelProtoSchema, model);
}

describe('WebGPU placement of an emitted LoRA train step', () => {
  for (const frozenAsInputs of [false, true]) {
    test(`no denied op, no int64 compare, ai.onnx only (frozen weights as ${frozenAsInputs ? 'inputs' : 'initializers'})`, () => {
      const model = toyTrainStepModel(frozenAsInputs);
      expect(placementProblems(model)).toEqual([]);
      // Each frozen weight is transposed once, for the forward x W^T; the backward multiplies by W itself.
      for (const weight of Object.keys(toyWeights)) {
        if (toyWeights[weight]!.length !== 2 || weight === 'embed' || (toyTrainable as readonly string[]).includes(weight)) continue;
        const users = model.graph!.node.filter((n) => n.input.includes(weight)).map((n) => n.opType);
        expect(users.filter((op) => op === 'Transpose'), weight).toHaveLength(1);
        expect(users.filter((op) => op !== 'Transpose' && op !== 'MatMul'), weight).toEqual([]);
      }
    });
  }

  test('the op types used by the whole step', () => {
    const ops = [...new Set(toyTrainStepModel(false).graph!.node.map((n) => n.opType))].sort();
    expect(ops).toMatchInlineSnapshot(`
      [
        "Add",
        "Div",
        "Equal",
        "Exp",
        "Gather",
        "Gemm",
        "Greater",
        "Less",
        "Log",
        "MatMul",
        "Mul",
        "Neg",
        "Pow",
        "Reciprocal",
        "ReduceMax",
        "ReduceSum",
        "Reshape",
        "Sigmoid",
        "Softmax",
        "Sqrt",
        "Sub",
        "Transpose",
        "Where",
      ]
    `);
  });

  test('the scan reports denied ops, Split num_outputs and int64 compares', () => {
    const model = toyTrainStepModel(false);
    const graph = model.graph!;
    graph.node.push(
      create(NodeProtoSchema, { name: 'bad_onehot', opType: 'OneHot', input: ['input_ids'], output: ['oh'] }),
      create(NodeProtoSchema, { name: 'bad_equal', opType: 'Equal', input: ['input_ids', 'input_ids'], output: ['eq'] }),
      create(NodeProtoSchema, { name: 'bad_split', opType: 'Split', input: ['labels'], output: ['s0', 's1'], attribute: [{ name: 'num_outputs', i: 2n }] }),
      create(NodeProtoSchema, { name: 'ok_equal', opType: 'Equal', input: ['labels', 'labels'], output: ['eq2'] }),
      create(NodeProtoSchema, { name: 'bad_max', opType: 'Max', input: ['labels', 'labels'], output: ['mx'] }),
      create(NodeProtoSchema, { name: 'bad_domain', opType: 'FusedMatMul', domain: 'com.microsoft', input: ['labels', 'labels'], output: ['fm'] }),
    );
    expect(placementProblems(model)).toEqual([
      'bad_onehot (OneHot): CPU only on WebGPU',
      'bad_equal (Equal): int64 comparison falls back to the CPU',
      'bad_split (Split): Split with num_outputs returned NaN on JSEP',
      'bad_max (Max): CPU only on the JSEP WebGPU build (ort.all); use builders.max (Where)',
      'bad_domain (FusedMatMul): domain com.microsoft is not ai.onnx',
    ]);
  });
});
