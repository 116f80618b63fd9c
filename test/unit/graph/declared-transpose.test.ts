import { expect, test } from 'vitest';
import { gradients } from '../../../src/graph/autodiff.ts';
import * as b from '../../../src/graph/builders.ts';
import { Graph } from '../../../src/graph/ir.ts';
import { liveNodes } from '../../../src/graph/onnx/emit.ts';

// A frozen weight kept in both layouts (Graph.declareTranspose): x W^T's forward reads W^T and its x gradient W,
// with no Transpose node.

test('the transpose of a weight with a declared transpose is that weight, both ways; x gradient reads W', () => {
  const g = new Graph('declared');
  const x = g.input('x', 'float32', [2, 3]);
  const w = g.initializer('w', 'float32', [4, 3]);
  const wt = g.initializer('w.T', 'float32', [3, 4]);
  g.declareTranspose(w, wt);
  expect(b.transpose(w, [1, 0])).toBe(wt);
  expect(b.transposeLast2(wt)).toBe(w);
  const y = b.matmul(x, wt);
  const [gx] = gradients(b.reduceSum(b.mul(y, y), [0, 1]), [x]);
  g.output('gx', gx!);
  const ops = liveNodes(g);
  expect(ops.some((n) => n.def.op === 'Transpose')).toBe(false);
  expect(ops.some((n) => n.def.op === 'MatMul' && n.inputs[1] === w)).toBe(true);
  expect(g.transposeOf(x)).toBeUndefined();
});

test('declareTranspose refuses what cannot be a transpose pair', () => {
  const g = new Graph('declared');
  const w = g.initializer('w', 'float32', [4, 3]);
  expect(() => g.declareTranspose(w, g.initializer('a', 'float32', [4, 3]))).toThrow('cannot be the transpose of w');
  expect(() => g.declareTranspose(w, g.initializer('b', 'float64', [3, 4]))).toThrow('cannot be the transpose of w');
  expect(() => g.declareTranspose(w, g.input('c', 'float32', [3, 4]))).toThrow('c is not a 2-D weight');
  g.declareTranspose(w, g.initializer('w.T', 'float32', [3, 4]));
  expect(() => g.declareTranspose(w, g.initializer('d', 'float32', [3, 4]))).toThrow('already has a declared transpose');
});
