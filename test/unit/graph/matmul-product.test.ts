// transposedProduct (a^T c, the weight gradient of a linear layer) as a structure: which operand it
// transposes and when it splits a long sum. Its values are checked in test/ort/graph/composites-forward.test.ts.
import { describe, expect, test } from 'vitest';
import * as b from '../../../src/graph/builders.ts';
import { Graph } from '../../../src/graph/ir.ts';
import { rowSplit, transposedProduct } from '../../../src/graph/ops/matmul.ts';

const ops = (g: Graph) => g.nodes.map((n) => n.def.op);

describe('rowSplit', () => {
  test('splits a long sum into a small product, in chunks of at least 256 rows, at most 16', () => {
    expect(rowSplit(4096, 8, 576)).toBe(16); // a LoRA A gradient of SmolLM2 at 8 x 512 tokens
    expect(rowSplit(1024, 8, 576)).toBe(4);
    expect(rowSplit(511, 8, 576)).toBe(1); // odd: no equal chunks
    expect(rowSplit(384, 8, 8)).toBe(1); // two chunks would have 192 rows
    expect(rowSplit(4096, 576, 1536)).toBe(1); // the product is large enough on its own
  });
});

describe('transposedProduct', () => {
  test('transposes the smaller operand: a LoRA factor gradient transposes the rank-r side', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [6, 10]); // activations [N, in]
    const r = g.input('r', 'float32', [6, 2]); // rank-r cotangent [N, r]
    // x^T r: r is the smaller operand, so (r^T x)^T.
    const y = transposedProduct(b, x, r);
    expect(y.shape).toEqual([10, 2]);
    expect(ops(g)).toEqual(['Transpose', 'MatMul', 'Transpose']);
    expect(g.nodes[0]!.inputs[0]).toBe(r);
    // r^T x: r is a, and the small one, so no outer Transpose.
    const z = transposedProduct(b, r, x);
    expect(z.shape).toEqual([2, 10]);
    expect(z.producer?.def.op).toBe('MatMul');
  });

  test('a long sum into a small product becomes chunks, one batched MatMul, and a MatMul that sums and scales', () => {
    const g = new Graph('g');
    const x = g.input('x', 'float32', [1024, 16]);
    const r = g.input('r', 'float32', [1024, 4]);
    const y = transposedProduct(b, r, x, 0.5);
    expect(y.shape).toEqual([4, 16]);
    expect(ops(g)).toEqual(['Reshape', 'Transpose', 'Reshape', 'MatMul', 'Reshape', 'MatMul', 'Reshape']);
    const [partial, sum] = g.nodes.filter((n) => n.def.op === 'MatMul');
    expect(partial!.outputs[0]!.shape).toEqual([4, 4, 16]);
    expect(sum!.inputs[0]!.shape).toEqual([1, 4]);
    expect(Array.from(sum!.inputs[0]!.data as Float32Array)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  test('without a split, a scale other than 1 is one Mul of the product', () => {
    const g = new Graph('g');
    const y = transposedProduct(b, g.input('r', 'float32', [6, 2]), g.input('x', 'float32', [6, 10]), 3);
    expect(y.producer?.def.op).toBe('Mul');
  });
});
