import { describe, expect, test } from 'vitest';
import * as b from '../../../src/graph/builders.ts';
import { kernelCost } from '../../../src/graph/cost.ts';
import { Graph } from '../../../src/graph/ir.ts';

describe('kernelCost', () => {
  test('counts 2 M N K per product, batches included, and every kernel input and output once', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [2, 3, 5]); // batch 2 of [3, 5]
    const w = g.input('w', 'float32', [5, 4]);
    const y = b.matmul(x, w); // [2, 3, 4]
    const cost = kernelCost(g.nodes);
    expect(y.shape).toEqual([2, 3, 4]);
    expect(cost).toEqual({ kernels: 1, productFlops: 2 * (2 * 3 * 4) * 5, bytes: 4 * (30 + 20 + 24) });
  });

  test("Gemm's sum runs over A's rows with transA; its C is read; float64 counts 8 bytes", () => {
    const g = new Graph('g');
    const a = g.input('a', 'float64', [7, 3]); // A^T is [3, 7]: K = 7
    const m = g.input('m', 'float64', [2, 7]); // B^T is [7, 2]
    const c = g.input('c', 'float64', [3, 2]);
    b.gemm(a, m, { transA: true, transB: true, c });
    expect(kernelCost(g.nodes)).toEqual({ kernels: 1, productFlops: 2 * (3 * 2) * 7, bytes: 8 * (21 + 14 + 6 + 6) });
  });

  test('a Reshape is a view and a StopGradient no node: neither is a kernel; elementwise ops add bytes, no flops', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [4, 6]);
    const y = b.exp(b.stopGradient(b.reshape(x, [24])));
    expect(g.nodes.map((n) => n.def.op)).toEqual(['Reshape', 'StopGradient', 'Exp']);
    expect(y.shape).toEqual([24]);
    expect(kernelCost(g.nodes)).toEqual({ kernels: 1, productFlops: 0, bytes: 4 * 48 });
  });
});
