// transposedProduct (a^T c, the weight gradient of a linear layer) as a structure: which operand it
// transposes and when it splits a long sum. Its values are checked in test/ort/graph/composites-forward.test.ts.
import { describe, expect, test } from 'vitest';
import * as b from '../../../src/graph/builders.ts';
import { Graph } from '../../../src/graph/ir.ts';
import { outputTiles, splitSumProduct, sumSplit, transposedProduct } from '../../../src/graph/ops/matmul.ts';

const ops = (g: Graph) => g.nodes.map((n) => n.def.op);

describe('sumSplit', () => {
  test('cuts a long sum into the fewest power-of-two chunks that bring a small product to 2,304 tiles', () => {
    expect(outputTiles(1, 8, 576)).toBe(18); // a LoRA A gradient's [8, 576]: 32x32 tiles
    expect(outputTiles(24, 64, 512)).toBe(768); // the attention's key gradient of SmolLM2 at 8 x 512
    expect(sumSplit(4096, 18)).toBe(16); // a LoRA gradient over 8 x 512 tokens: at most 16 chunks
    expect(sumSplit(1024, 18)).toBe(4); // chunks of at least 256 terms
    expect(sumSplit(511, 18)).toBe(1); // odd: no equal chunks
    expect(sumSplit(384, 1)).toBe(1); // two chunks would sum 192 terms
    expect(sumSplit(1536, 768)).toBe(4); // the key gradient: 3,072 tiles of 384 rows each
    expect(sumSplit(49152, outputTiles(1, 1024, 576))).toBe(4); // the head's x gradient in a 1,024-row loss chunk
    expect(sumSplit(4096, outputTiles(1, 576, 1536))).toBe(4); // 864 tiles
    expect(sumSplit(4096, 2304)).toBe(1); // enough tiles on its own
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

  test("operands with the same batch axes split each batch's sum: the attention's key gradient", () => {
    const g = new Graph('g');
    const q = g.input('q', 'float32', [8, 3, 1536, 64]); // a KV head's 3 query heads stacked as rows
    const ds = g.input('ds', 'float32', [8, 3, 1536, 512]); // the scores' gradient
    const y = transposedProduct(b, q, ds);
    expect(y.shape).toEqual([8, 3, 64, 512]);
    const [partial, sum] = g.nodes.filter((n) => n.def.op === 'MatMul');
    expect(partial!.inputs.map((t) => t.shape)).toEqual([[8, 3, 4, 64, 384], [8, 3, 4, 384, 512]]);
    expect(sum!.inputs.map((t) => t.shape)).toEqual([[1, 4], [8, 3, 4, 64 * 512]]);
    // A broadcast batch (a [3, M, K] against c [2, 3, M, N]) is not split.
    const h = new Graph('h');
    transposedProduct(b, h.input('a', 'float32', [3, 1024, 2]), h.input('c', 'float32', [2, 3, 1024, 2]));
    expect(h.nodes.filter((n) => n.def.op === 'MatMul')).toHaveLength(1);
  });

  test('a graph made with splitSums false keeps every product whole', () => {
    const g = new Graph('g', { splitSums: false });
    const q = g.input('q', 'float32', [8, 3, 1536, 64]);
    const ds = g.input('ds', 'float32', [8, 3, 1536, 512]);
    expect(transposedProduct(b, q, ds).shape).toEqual([8, 3, 64, 512]);
    transposedProduct(b, g.input('r', 'float32', [1024, 4]), g.input('x', 'float32', [1024, 16]), 0.5);
    expect(ops(g)).toEqual(['Transpose', 'MatMul', 'Transpose', 'MatMul', 'Mul']);
  });

  test('without a split, a scale other than 1 is one Mul of the product', () => {
    const g = new Graph('g');
    const y = transposedProduct(b, g.input('r', 'float32', [6, 2]), g.input('x', 'float32', [6, 10]), 3);
    expect(y.producer?.def.op).toBe('Mul');
  });
});

describe('splitSumProduct', () => {
  test("a long sum into a small product: one Transpose of a's column blocks, one batched MatMul, one that sums", () => {
    const g = new Graph('g');
    const dlogits = g.input('d', 'float32', [1024, 49152]);
    const head = g.input('w', 'float32', [49152, 576]);
    const y = splitSumProduct(b, dlogits, head);
    expect(y.shape).toEqual([1024, 576]);
    expect(ops(g)).toEqual(['Reshape', 'Transpose', 'Reshape', 'MatMul', 'Reshape', 'MatMul', 'Reshape']);
    const [partial, sum] = g.nodes.filter((n) => n.def.op === 'MatMul');
    expect(partial!.inputs.map((t) => t.shape)).toEqual([[4, 1024, 12288], [4, 12288, 576]]);
    expect(Array.from(sum!.inputs[0]!.data as Float32Array)).toEqual([1, 1, 1, 1]);
  });

  test('a product with enough tiles, or a short sum, is one MatMul; operands must be 2-D', () => {
    const g = new Graph('g');
    splitSumProduct(b, g.input('a', 'float32', [4096, 3072]), g.input('w', 'float32', [3072, 576])); // 2,304 tiles
    splitSumProduct(b, g.input('c', 'float32', [8, 300]), g.input('v', 'float32', [300, 8])); // 150 terms per half
    expect(ops(g)).toEqual(['MatMul', 'MatMul']);
    expect(() => splitSumProduct(b, g.input('x', 'float32', [2, 8, 512]), g.input('u', 'float32', [512, 8]))).toThrow(/2-D/);
  });

  test('a graph made with splitSums false runs the head product whole', () => {
    const g = new Graph('g', { splitSums: false });
    const y = splitSumProduct(b, g.input('d', 'float32', [1024, 49152]), g.input('w', 'float32', [49152, 576]));
    expect(y.shape).toEqual([1024, 576]);
    expect(ops(g)).toEqual(['MatMul']);
  });
});
