import { concat, split } from './builders.ts';
import type { Tensor } from './ir.ts';
import { MAX_KERNEL_PARTS } from './ops/layout.ts';

// A Concat or Split of many tensors as a tree of small ones, at most MAX_KERNEL_PARTS parts per kernel
// (ops/layout.ts: WebGPU's 8 storage buffers per shader stage): a Concat of 420 tensors would not compile.

/** xs concatenated along `axis` by Concats of at most MAX_KERNEL_PARTS inputs. */
export function concatTree(xs: readonly Tensor[], axis = 0): Tensor {
  let level = [...xs];
  while (level.length > 1) {
    const next: Tensor[] = [];
    for (let i = 0; i < level.length; i += MAX_KERNEL_PARTS) next.push(concat(level.slice(i, i + MAX_KERNEL_PARTS), axis));
    level = next;
  }
  return level[0]!;
}

/**
 * x cut along `axis` into consecutive parts of the given sizes by Splits of at most MAX_KERNEL_PARTS parts. Each
 * level takes the largest groups of MAX_KERNEL_PARTS^k leaves, which makes the fewest kernels: 72 for 420 parts,
 * against 420 Slices.
 */
export function splitTree(x: Tensor, sizes: readonly number[], axis = 0): Tensor[] {
  if (sizes.length <= MAX_KERNEL_PARTS) return split(x, sizes, axis);
  let leaves = 1;
  while (leaves * MAX_KERNEL_PARTS < sizes.length) leaves *= MAX_KERNEL_PARTS;
  const groups: number[][] = [];
  for (let i = 0; i < sizes.length; i += leaves) groups.push(sizes.slice(i, i + leaves));
  const parts = split(x, groups.map((g) => g.reduce((a, s) => a + s, 0)), axis);
  return groups.flatMap((g, i) => splitTree(parts[i]!, g, axis));
}
