import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, test } from 'vitest';
import * as b from '../../../src/graph/builders.ts';
import { Graph } from '../../../src/graph/ir.ts';
import { ModelProtoSchema } from '../../../src/graph/onnx/gen/onnx_pb.ts';
import { IR_VERSION, OPSET, emitModel, emitOnnx } from '../../../src/graph/onnx/emit.ts';

function small(weightData = true) {
  const g = new Graph('small');
  const x = g.input('x', 'float32', [2, 3]);
  const w = g.initializer('w', 'float32', [4, 3], weightData ? Float32Array.from({ length: 12 }, (_, i) => i) : undefined);
  const unused = g.initializer('unused', 'float32', [1], new Float32Array(1));
  const y = b.reshape(b.gemm(x, w, { transB: true }), [8]);
  b.exp(y); // dead: not needed by any output
  g.output('y', y);
  return { g, x, w, unused };
}

describe('ONNX emission', () => {
  test('model header: ai.onnx opset 17, IR version 8', () => {
    const model = fromBinary(ModelProtoSchema, emitOnnx(small().g));
    expect(model.irVersion).toBe(BigInt(IR_VERSION));
    expect(IR_VERSION).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', OPSET]]);
    expect(OPSET).toBe(17);
  });

  test('dead nodes and unused initializers are not emitted; shape arguments become int64 initializers', () => {
    const model = fromBinary(ModelProtoSchema, emitOnnx(small().g));
    const graph = model.graph!;
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Reshape']);
    expect(graph.initializer.map((i) => [i.name, i.dataType, i.dims.map(Number)])).toEqual([
      ['i64_0', 7, [1]],
      ['w', 1, [4, 3]],
    ]);
    const w = graph.initializer.find((i) => i.name === 'w')!;
    expect(Array.from(new Float32Array(w.rawData.slice().buffer))).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(graph.input.map((i) => i.name)).toEqual(['x']);
    expect(graph.output.map((o) => o.name)).toEqual(['y']);
    const gemm = graph.node[0]!;
    expect(gemm.attribute.map((a) => [a.name, Number(a.i)])).toEqual([['transB', 1]]);
  });

  test('initializers can be emitted as graph inputs (all, or chosen); data-less ones must be', () => {
    expect(() => emitOnnx(small(false).g)).toThrow('emit: initializer w has no data; emit it as an input (initializersAsInputs)');
    const all = fromBinary(ModelProtoSchema, emitOnnx(small(false).g, { initializersAsInputs: true })).graph!;
    expect(all.input.map((i) => i.name)).toEqual(['x', 'w']);
    expect(all.initializer.map((i) => i.name)).toEqual(['i64_0']);
    const chosen = fromBinary(ModelProtoSchema, emitOnnx(small().g, { initializersAsInputs: (t) => t.name === 'w' })).graph!;
    expect(chosen.input.map((i) => i.name)).toEqual(['x', 'w']);
  });

  test('large initializers can go to an external-data blob', () => {
    const { model, externalData } = emitModel(small().g, { externalData: { location: 'weights.bin', minBytes: 16 } });
    const w = model.graph!.initializer.find((i) => i.name === 'w')!;
    expect(w.rawData.length).toBe(0);
    expect(w.dataLocation).toBe(1);
    expect(Object.fromEntries(w.externalData.map((e) => [e.key, e.value]))).toEqual({ location: 'weights.bin', offset: '0', length: '48' });
    expect(Array.from(new Float32Array(externalData!.slice(0, 48).buffer))).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  test('leaf outputs, repeated outputs and StopGradient outputs go through Identity', () => {
    const g = new Graph('ids');
    const x = g.input('x', 'float32', [2]);
    const y = b.exp(x);
    g.output('x_again', x);
    g.output('y', y);
    g.output('y_again', y);
    g.output('stopped', b.stopGradient(y));
    const graph = fromBinary(ModelProtoSchema, emitOnnx(g)).graph!;
    expect(graph.node.map((n) => `${n.output[0]} = ${n.opType}(${n.input.join(', ')})`)).toEqual([
      'y = Exp(x)',
      'x_again = Identity(x)',
      'y_again = Identity(y)',
      'stopped = Identity(y)',
    ]);
  });

  test('a graph without outputs is refused', () => {
    expect(() => emitOnnx(new Graph('empty'))).toThrow('emit: graph empty has no outputs');
  });
});
