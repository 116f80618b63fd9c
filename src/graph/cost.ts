import { bytesPerElement } from './dtype.ts';
import type { Node, Tensor } from './ir.ts';
import { boolAttr } from './ops/common.ts';
import { sizeOf } from './shape.ts';

/**
 * The work of a list of nodes as kernels, counted from their static shapes: a graph's floor on a given GPU is
 * productFlops / (its product rate) + bytes / (its memory bandwidth), plus a launch per kernel.
 */
export interface KernelCost {
  /** Nodes that run a kernel: all but Reshape (a view of its input) and StopGradient (emits no node). */
  readonly kernels: number;
  /** Floating-point operations of the products (MatMul, Gemm): 2 M N K each, batches included. */
  readonly productFlops: number;
  /** Bytes the kernels read and write: each input and output of each kernel once (caches and re-reads aside). */
  readonly bytes: number;
}

/** Ops that run no kernel (see KernelCost.kernels). */
const NOT_KERNELS = new Set(['Reshape', 'StopGradient']);

const bytesOf = (t: Tensor): number => sizeOf(t.shape) * bytesPerElement[t.dtype];

/** The length of the sum of a product node: K of [M, K] x [K, N]. */
function innerLength(node: Node): number {
  const a = node.inputs[0]!.shape;
  if (node.def.op === 'Gemm') return boolAttr(node.attrs, 'transA', false) ? a[0]! : a[1]!;
  return a[a.length - 1]!; // MatMul: the last axis of A
}

export function kernelCost(nodes: readonly Node[]): KernelCost {
  let kernels = 0;
  let productFlops = 0;
  let bytes = 0;
  for (const node of nodes) {
    if (NOT_KERNELS.has(node.def.op)) continue;
    kernels++;
    for (const t of node.inputs) bytes += bytesOf(t);
    for (const t of node.outputs) bytes += bytesOf(t);
    if (node.def.op === 'MatMul' || node.def.op === 'Gemm') productFlops += 2 * sizeOf(node.outputs[0]!.shape) * innerLength(node);
  }
  return { kernels, productFlops, bytes };
}
