import { describe, expect, test } from 'vitest';
import { gradients, nodesOnPath } from '../../../src/graph/autodiff.ts';
import * as b from '../../../src/graph/builders.ts';
import { Graph } from '../../../src/graph/ir.ts';
import { linear, linears, loraLinear } from '../../../src/graph/nn/lora.ts';
import { rmsNorm } from '../../../src/graph/nn/norm.ts';

const ops = (g: Graph, from: number) => g.nodes.slice(from).map((n) => n.def.op);

describe('autodiff structure', () => {
  test('frozen operands get no gradient work (MatMul: only the asked side)', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [4, 3]);
    const w = g.initializer('w', 'float32', [5, 3], new Float32Array(15));
    const loss = b.reduceSum(linear(x, w), [0, 1]);
    const before = g.nodes.length;
    gradients(loss, [x]);
    // d/dx of sum(x W^T) = 1 W: an Expand of the seed and one MatMul by W itself (the forward's Transpose of W
    // cancels), nothing for W.
    expect(ops(g, before)).toEqual(['Expand', 'MatMul']);
    expect(g.nodes.at(-1)!.inputs[1]).toBe(w);
  });

  test("a LoRA factor's input gradient joins the base's as a Gemm's C: no Add", () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [4, 3]);
    const a = g.input('a', 'float32', [2, 3]);
    const out = loraLinear(x, { weight: g.initializer('w', 'float32', [5, 3]), loraA: a, loraB: g.input('b', 'float32', [5, 2]), alpha: 4 });
    const before = g.nodes.length;
    const [gx] = gradients(b.reduceSum(out, [0, 1]), [x, a]);
    const sum = gx!.producer!;
    expect(sum.def.op).toBe('Gemm');
    expect(sum.inputs).toHaveLength(3);
    expect(sum.inputs[2]!.producer?.def.op).toBe('MatMul'); // the base projection's x gradient, g W
    // The scale alpha / r rides on the B product (and so on the rank-r gradient), not on this Gemm.
    expect(sum.attrs['alpha']).toBeUndefined();
    const bProduct = g.nodes.find((n) => n.def.op === 'Gemm' && n.inputs[1]!.name === 'b')!;
    expect(bProduct.attrs['alpha']).toBe(2);
    expect(ops(g, before)).not.toContain('Add');
  });

  test('stacked linears: one rank product for all LoRA layers of an input, its A gradient one product cut by one Split', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [4, 3]);
    const frozen = (name: string, out: number) => g.initializer(name, 'float32', [out, 3], new Float32Array(out * 3));
    const a = [g.input('a0', 'float32', [2, 3]), g.input('a2', 'float32', [1, 3])];
    const ys = linears(x, [
      { weight: frozen('w0', 5), loraA: a[0]!, loraB: g.input('b0', 'float32', [5, 2]), alpha: 4 },
      { weight: frozen('w1', 2) },
      { weight: frozen('w2', 3), loraA: a[1]!, loraB: g.input('b2', 'float32', [3, 1]), alpha: 3 },
    ]);
    const readsX = g.nodes.filter((n) => n.inputs.includes(x)).map((n) => `${n.def.op} ${n.inputs.map((t) => `[${t.shape.join(',')}]`).join(' ')}`);
    expect(readsX).toEqual(['MatMul [4,3] [3,10]', 'Gemm [4,3] [3,3]']); // the base product and the A product
    const before = g.nodes.length;
    const [ga0, ga2] = gradients(b.add(b.reduceSum(ys[0]!, [0, 1]), b.reduceSum(ys[2]!, [0, 1])), a);
    expect(ga0!.producer).toBe(ga2!.producer);
    expect(ga0!.producer!.def.op).toBe('Split');
    expect(ops(g, before)).not.toContain('Slice');
    // alpha/r g B for each layer's rank activations, Concat'ed, then one product for the stacked A.
    expect(ops(g, before).filter((op) => ['Gemm', 'MatMul', 'Concat'].includes(op))).toEqual(['Gemm', 'Gemm', 'Concat', 'MatMul']);
  });

  test("RMSNorm's x gradient takes 5 row-sized [B,T,1] kernels (x / sqrt(...): Div's gradient, not Reciprocal's)", () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [2, 3, 4]);
    const y = rmsNorm(x, g.initializer('w', 'float32', [4], new Float32Array(4)), 1e-6);
    const rowSized = (from: number) => g.nodes.slice(from).filter((n) => n.def.op !== 'Reshape' && n.outputs[0]!.shape.join(',') === '2,3,1');
    expect(rowSized(0).map((n) => n.def.op)).toEqual(['ReduceSum', 'Mul', 'Add', 'Sqrt']);
    const before = g.nodes.length;
    gradients(b.reduceSum(b.mul(y, y), [0, 1, 2]), [x]);
    expect(rowSized(before).map((n) => n.def.op)).toEqual(['ReduceSum', 'Neg', 'Mul', 'Div', 'Mul']);
  });

  test('only nodes on a path from the asked tensors to the loss are differentiated', () => {
    const g = new Graph('g');
    const frozenIn = g.input('frozen', 'float32', [3]);
    const p = g.input('p', 'float32', [3]);
    const side = b.exp(b.tanh(frozenIn)); // depends only on frozen tensors
    const loss = b.reduceSum(b.mul(side, b.sigmoid(p)), [0]);
    const path = nodesOnPath(g.nodes, loss, [p]).map((n) => n.def.op);
    expect(path).toEqual(['Sigmoid', 'Mul', 'ReduceSum']);
    const before = g.nodes.length;
    gradients(loss, [p]);
    expect(ops(g, before)).not.toContain('Exp');
    expect(ops(g, before)).not.toContain('Tanh');
  });

  test('fan-out: contributions of a tensor used twice are summed once', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float64', [2]);
    const loss = b.reduceSum(b.add(b.exp(x), x), [0]);
    const [gx] = gradients(loss, [x]);
    expect(gx!.producer?.def.op).toBe('Add');
    expect(gx!.shape).toEqual([2]);
  });

  test('StopGradient and comparisons stop gradients; Cast between floats passes them', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [3]);
    const y = b.mul(b.stopGradient(x), b.cast(b.cast(x, 'float64'), 'float32'));
    const loss = b.reduceSum(b.add(y, b.where(b.greater(x, 0), b.stopGradient(x), 0)), [0]);
    const before = g.nodes.length;
    const [gx] = gradients(loss, [x]);
    // d(sg(x) * x)/dx = sg(x): the seed's Expand is skipped, mul by 1 folds away, no Where (its operand is stopped).
    expect(ops(g, before)).toEqual(['Expand', 'Cast', 'Cast']);
    expect(gx!.producer?.def.op).toBe('Cast');
  });

  test('a tensor that does not influence the loss is an error naming it', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [3]);
    const unused = g.input('unused', 'float32', [3]);
    const onlyCompared = g.input('compared', 'float32', [3]);
    const loss = b.reduceSum(b.add(x, b.cast(b.less(onlyCompared, 0), 'float32')), [0]);
    expect(() => gradients(loss, [x, unused])).toThrow('gradients: unused does not influence the loss');
    expect(() => gradients(loss, [onlyCompared])).toThrow('gradients: compared does not influence the loss');
  });

  test('non-scalar losses need a seed; int64 tensors have no gradient', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [3]);
    expect(() => gradients(b.exp(x), [x])).toThrow('pass a seed for a non-scalar loss');
    const [gx] = gradients(b.exp(x), [x], { seed: g.input('seed', 'float32', [3]) });
    expect(gx!.shape).toEqual([3]);
    expect(() => gradients(b.reduceSum(x, [0]), [g.input('ids', 'int64', [3])])).toThrow('only float tensors have gradients');
  });

  test('gradients are checked against the input shape (rule bugs surface at build time)', () => {
    const g = new Graph('g');
    const a = g.input('a', 'float32', [2, 1, 4]);
    const c = g.input('c', 'float32', [3, 1]);
    const [ga, gc] = gradients(b.reduceSum(b.mul(a, c), [0, 1, 2]), [a, c]);
    expect(ga!.shape).toEqual([2, 1, 4]);
    expect(gc!.shape).toEqual([3, 1]);
  });
});
