import { describe, expect, test } from 'vitest';
import * as b from '../../../src/graph/builders.ts';
import { Graph } from '../../../src/graph/ir.ts';
import { attentionBias, causalAttention } from '../../../src/graph/nn/attention.ts';
import { linear, linears, loraLinear } from '../../../src/graph/nn/lora.ts';
import { GraphError } from '../../../src/graph/shape.ts';

const graph = () => new Graph('g');

describe('shape inference', () => {
  test('broadcasting binary ops', () => {
    const g = graph();
    const y = b.add(g.input('a', 'float32', [2, 1, 4]), g.input('c', 'float32', [3, 1]));
    expect(y.shape).toEqual([2, 3, 4]);
    expect(y.dtype).toBe('float32');
  });

  test('mismatched broadcast names the op, the shapes, the dimension and the operands', () => {
    const g = graph();
    expect(() => b.mul(g.input('a', 'float32', [2, 3]), g.input('c', 'float32', [4]))).toThrow(
      'Mul: shapes [2,3] and [4] do not broadcast (dimension -1: 3 vs 4) (inputs: a: float32[2,3], c: float32[4])',
    );
  });

  test('mixed dtypes are refused', () => {
    const g = graph();
    expect(() => b.add(g.input('a', 'float32', [2]), g.input('c', 'float64', [2]))).toThrow('Add: inputs must share a dtype, got float32 and float64');
  });

  test('batched MatMul broadcasts batch dimensions and checks the inner dimension', () => {
    const g = graph();
    expect(b.matmul(g.input('a', 'float32', [2, 1, 3, 4]), g.input('c', 'float32', [5, 4, 6])).shape).toEqual([2, 5, 3, 6]);
    expect(() => b.matmul(g.input('x', 'float32', [3, 4]), g.input('y', 'float32', [5, 6]))).toThrow('MatMul: inner dimensions differ: [3,4] @ [5,6] (4 vs 5)');
    expect(() => b.matmul(g.input('v', 'float32', [4]), g.input('w', 'float32', [4, 2]))).toThrow('MatMul: operands must have rank >= 2');
  });

  test('Gemm with transposes', () => {
    const g = graph();
    const a = g.input('a', 'float32', [4, 3]);
    const w = g.input('w', 'float32', [5, 4]);
    expect(b.gemm(a, w, { transA: true, transB: true }).shape).toEqual([3, 5]);
    expect(() => b.gemm(a, w)).toThrow('Gemm: inner dimensions differ: [4,3] @ [5,4] (3 vs 5)');
    expect(() => b.gemm(a, w, { transA: true, transB: true, c: a })).toThrow('Gemm: C must be [3,5] (the product\'s shape), got [4,3]');
  });

  test('reshape resolves -1 and refuses a size change', () => {
    const g = graph();
    const x = g.input('x', 'float32', [2, 3, 4]);
    expect(b.reshape(x, [-1, 4]).shape).toEqual([6, 4]);
    expect(() => b.reshape(x, [5, 5])).toThrow('Reshape: cannot reshape [2,3,4] (24 elements) to [5,5] (25 elements)');
  });

  test('reductions, transpose, slice, split, concat, pad, gather, expand', () => {
    const g = graph();
    const x = g.input('x', 'float32', [2, 3, 4]);
    expect(b.reduceSum(x, [0, -1]).shape).toEqual([3]);
    expect(b.reduceMax(x, [1], true).shape).toEqual([2, 1, 4]);
    expect(b.transpose(x, [2, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(b.slice(x, [1, 0], [3, -1], [1, 2]).shape).toEqual([2, 2, 3]);
    expect(b.concat([x, x], 1).shape).toEqual([2, 6, 4]);
    expect(b.split(x, [1, 3], -1).map((p) => p.shape)).toEqual([
      [2, 3, 1],
      [2, 3, 3],
    ]);
    expect(b.split(x, [3], 1)).toEqual([x]);
    expect(() => b.split(x, [1, 1], 1)).toThrow('Split: sizes [1,1] must be positive and add up to 3 (axis 1 of [2,3,4])');
    expect(() => b.split(x, [4, 0], 2)).toThrow('Split: sizes [4,0] must be positive and add up to 4 (axis 2 of [2,3,4])');
    expect(b.pad(x, [0, 1, 0, 0, 0, 2]).shape).toEqual([2, 4, 6]);
    expect(b.gather(g.input('table', 'float32', [10, 4]), g.input('ids', 'int64', [2, 3])).shape).toEqual([2, 3, 4]);
    expect(b.expand(g.input('r', 'float32', [3, 1]), [2, 3, 4]).shape).toEqual([2, 3, 4]);
    expect(() => b.transpose(x, [0, 0, 1])).toThrow('Transpose: perm [0,0,1] is not a permutation of 3 axes');
    expect(() => b.slice(x, [3], [3], [1])).toThrow('Slice: range 3:3 on axis 1 (size 3) is empty or out of bounds');
    expect(() => b.reduceSum(x, [3])).toThrow('ReduceSum: axis 3 is out of range for rank 3');
    expect(() => b.concat([x, g.input('z', 'float32', [2, 3, 5])], 1)).toThrow('Concat: shapes [2,3,4], [2,3,5] differ outside axis 1');
  });

  test('comparisons are float only (int64 compares leave the GPU) and give bool', () => {
    const g = graph();
    const ids = g.input('ids', 'int64', [3]);
    expect(() => b.equal(ids, ids)).toThrow(/Equal: compares float tensors only \(got int64\)/);
    const c = b.less(g.input('a', 'float32', [3]), 0);
    expect(c.dtype).toBe('bool');
    expect(() => b.add(c, c)).toThrow('Add: input must be float32 or float64, got bool');
    const f = g.input('f', 'float32', [3]);
    expect(() => b.where(f, f, 0)).toThrow('Where: condition must be bool, got float32');
  });

  test('needless nodes are not made', () => {
    const g = graph();
    const x = g.input('x', 'float32', [2, 3]);
    expect(b.mul(x, 1)).toBe(x);
    expect(b.add(0, x)).toBe(x);
    expect(b.reshape(x, [2, 3])).toBe(x);
    expect(b.transpose(x, [0, 1])).toBe(x);
    expect(b.cast(x, 'float32')).toBe(x);
    expect(b.expand(x, [2, 3])).toBe(x);
    expect(g.nodes).toHaveLength(0);
  });

  test('Gemm alpha: an attribute when float32 holds it exactly (or the graph is float32), else a Mul', () => {
    const g = graph();
    const a64 = g.input('a64', 'float64', [2, 3]);
    const w64 = g.input('w64', 'float64', [4, 3]);
    expect(b.gemm(a64, w64, { transB: true, alpha: 2 }).producer?.attrs['alpha']).toBe(2);
    const third = b.gemm(a64, w64, { transB: true, alpha: 1 / 3 });
    expect(third.producer?.def.op).toBe('Mul');
    expect(third.producer?.inputs[0]!.producer?.attrs['alpha']).toBeUndefined();
    const a32 = g.input('a32', 'float32', [2, 3]);
    const w32 = g.input('w32', 'float32', [4, 3]);
    expect(b.gemm(a32, w32, { transB: true, alpha: 1 / 3 }).producer?.attrs['alpha']).toBe(Math.fround(1 / 3));
    expect(b.gemm(a32, w32, { transB: true, alpha: 1 }).producer?.attrs).toEqual({ transA: false, transB: true });
  });

  test('a Reshape of a Reshape reshapes the source, or is the source', () => {
    const g = graph();
    const x = g.input('x', 'float32', [2, 3, 4]);
    const flat = b.reshape(x, [6, 4]);
    expect(b.reshape(flat, [2, 3, 4])).toBe(x);
    const other = b.reshape(flat, [4, 6]);
    expect(other.producer?.inputs[0]).toBe(x);
    expect(g.nodes.map((n) => n.def.op)).toEqual(['Reshape', 'Reshape']);
  });

  test('a Transpose of a Transpose is one Transpose of the source, or the source itself', () => {
    const g = graph();
    const x = g.input('x', 'float32', [2, 3, 4]);
    const once = b.transpose(x, [1, 2, 0]); // [3, 4, 2]
    const twice = b.transpose(once, [2, 0, 1]); // x's axes (0, 1, 2): the source itself
    expect(twice).toBe(x);
    const swapped = b.transpose(once, [1, 0, 2]); // [4, 3, 2] = x's axes (2, 1, 0)
    expect(swapped.producer?.inputs[0]).toBe(x);
    expect(swapped.producer?.attrs['perm']).toEqual([2, 1, 0]);
    expect(swapped.shape).toEqual([4, 3, 2]);
    expect(() => b.transpose(x, [1, 0])).toThrow('Transpose: perm [1,0] is not a permutation of 3 axes');
  });

  test('identical nodes are merged (CSE); max/min are Where composites, not ONNX Max/Min', () => {
    const g = graph();
    const x = g.input('x', 'float32', [2, 3]);
    expect(b.exp(x)).toBe(b.exp(x));
    expect(b.reshape(x, [3, 2])).toBe(b.reshape(x, [3, -1]));
    expect(b.max(x, 0).producer?.def.op).toBe('Where');
    expect(b.min(x, 0).producer?.def.op).toBe('Where');
    expect(g.nodes.map((n) => n.def.op)).toEqual(['Exp', 'Reshape', 'Greater', 'Where', 'Less', 'Where']);
  });

  test('composites check their operands with clear messages', () => {
    const g = graph();
    const x = g.input('x', 'float32', [2, 5, 8]);
    expect(() => loraLinear(x, { weight: g.input('w', 'float32', [6, 8]), loraA: g.input('a', 'float32', [2, 7]), loraB: g.input('b', 'float32', [6, 2]), alpha: 4 })).toThrow(
      'loraLinear: A [2,7] and B [6,2] do not fit x [2,5,8] and W [6,8] (need A [r, 8], B [6, r])',
    );
    expect(() => linear(x, g.input('w3', 'float32', [6, 7]))).toThrow('linear: x [2,5,8] does not match weight [6,7] ([out, in])');
    expect(() => linear(x, g.input('w1', 'float32', [8]))).toThrow('linear: weight must be 2-D, got [8]');
    expect(() => linears(x, [])).toThrow('linears: no weights');
    expect(() => linear(x, g.input('w2', 'float32', [6, 8]), g.input('b2', 'float32', [5]))).toThrow('linear: bias must be [6], got [5]');
    const bias = attentionBias(g.input('mask', 'float32', [2, 5]));
    expect(() => causalAttention(x, x, x, { nHeads: 3, nKvHeads: 2, headDim: 4, bias })).toThrow('causalAttention: 3 heads is not a multiple of 2 KV heads');
    expect(() => causalAttention(x, x, x, { nHeads: 4, nKvHeads: 2, headDim: 2, bias })).toThrow('causalAttention: k must be [2, 5, 4], got [2,5,8]');
  });
});

describe('graph declarations', () => {
  test('names are unique, valid and not the builder reserved ones', () => {
    const g = graph();
    g.input('x', 'float32', [1]);
    expect(() => g.input('x', 'float32', [1])).toThrow('name "x" is already used in graph g');
    expect(() => g.input('t3', 'float32', [1])).toThrow('name "t3" is reserved');
    expect(() => g.input('bad name', 'float32', [1])).toThrow('is not a valid tensor name');
  });

  test('initializer data must match dtype and shape', () => {
    const g = graph();
    expect(() => g.initializer('w', 'float32', [2, 2], new Float64Array(4))).toThrow('w: data is a Float64Array, which does not hold float32');
    expect(() => g.initializer('v', 'float32', [2, 2], new Float32Array(3))).toThrow('v: shape [2,2] needs 4 values, data has 3');
  });

  test('tensors of another graph are refused', () => {
    const a = new Graph('a');
    const c = new Graph('c');
    expect(() => b.add(a.input('x', 'float32', [1]), c.input('y', 'float32', [1]))).toThrow(GraphError);
  });
});
