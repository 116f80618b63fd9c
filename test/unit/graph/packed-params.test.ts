// packedParams cuts the flat trainable vector into its parts with a tree of Splits: few kernels, none wider
// than WebGPU's 8 storage bindings, and each part read from its own offset (traced back through the tree).
import { describe, expect, test } from 'vitest';
import { Graph, type Tensor } from '../../../src/graph/ir.ts';
import { MAX_KERNEL_PARTS } from '../../../src/graph/ops/layout.ts';
import { packedParams } from '../../../src/graph/optim/packed-train-step.ts';

/** Offset and length in `flat` of what `t` holds, following Reshapes and Splits up to it. */
function origin(t: Tensor, flat: Tensor): { offset: number; length: number } {
  const length = t.shape.reduce((a, d) => a * d, 1);
  if (t === flat) return { offset: 0, length };
  const node = t.producer!;
  if (node.def.op === 'Reshape') return origin(node.inputs[0]!, flat);
  expect(node.def.op).toBe('Split');
  const index = node.outputs.indexOf(t);
  const before = node.outputs.slice(0, index).reduce((a, o) => a + o.shape[0]!, 0);
  return { offset: origin(node.inputs[0]!, flat).offset + before, length };
}

describe('packedParams', () => {
  test.each([1, 5, 7, 8, 49, 50, 420])('%i parts: a Split tree with the fewest kernels, each part at its offset', (n) => {
    const g = new Graph('g');
    const parts = Array.from({ length: n }, (_, i) => ({ name: `p${i}`, shape: i % 3 === 0 ? [2, 3] : [i % 5 + 1] }));
    const packed = packedParams(g, 'flat', 'float32', parts);
    const splits = g.nodes.filter((node) => node.def.op === 'Split');
    expect(g.nodes.filter((node) => node.def.op === 'Slice')).toEqual([]);
    expect(Math.max(0, ...splits.map((s) => s.outputs.length))).toBeLessThanOrEqual(MAX_KERNEL_PARTS);
    // A tree with n leaves and fan-out 7 has at least ceil((n - 1) / 6) inner nodes; 420 parts take 72.
    if (n === 420) expect(splits).toHaveLength(72);
    else expect(splits.length).toBeLessThanOrEqual(Math.ceil((n - 1) / (MAX_KERNEL_PARTS - 1)) + 1);
    packed.parts.forEach((view, i) => {
      const p = packed.layout[i]!;
      expect(view.shape).toEqual(p.shape);
      expect(origin(view, packed.flat)).toEqual({ offset: p.offset, length: p.shape.reduce((a, d) => a * d, 1) });
    });
  });
});
