import * as builders from './builders.ts';
import { isFloat } from './dtype.ts';
import { Gemm } from './ops/matmul.ts';
import type { Node, Tensor } from './ir.ts';
import { GraphError, formatShape, sameShape } from './shape.ts';

export interface GradientsOptions {
  /** Cotangent of `loss`; required when loss is not a scalar (defaults to 1 for a scalar loss). */
  readonly seed?: Tensor;
}

/**
 * Reverse-mode autodiff: appends to loss's graph the nodes that compute d loss / d t for each t in
 * `wrt`, and returns those gradient tensors in the same order.
 *
 * Only nodes on a path from some `wrt` tensor to the loss are differentiated (the rest of the graph,
 * frozen weights included, gets no gradient work), and a rule is asked only for the inputs on such a
 * path. A tensor used several times (fan-out) gets the sum of its contributions. Gradients stop at
 * ops without a rule (comparisons), at int64/bool tensors, and at StopGradient.
 *
 * Throws a GraphError when a `wrt` tensor does not influence the loss, since that is a bug in the
 * caller (a trainable tensor that is never used).
 */
export function gradients(loss: Tensor, wrt: readonly Tensor[], options: GradientsOptions = {}): Tensor[] {
  const graph = loss.graph;
  if (!isFloat(loss.dtype)) throw new GraphError(`gradients: loss ${loss.name} must be float, got ${loss.dtype}`);
  for (const t of wrt) {
    if (t.graph !== graph) throw new GraphError(`gradients: ${t.name} belongs to another graph than the loss`);
    if (!isFloat(t.dtype)) throw new GraphError(`gradients: ${t.name} is ${t.dtype}; only float tensors have gradients`);
  }
  if (new Set(wrt).size !== wrt.length) throw new GraphError('gradients: a tensor is listed twice in wrt');

  const nodes = nodesOnPath(graph.nodes, loss, wrt);
  const onPath = new Set<Tensor>(wrt);
  for (const node of nodes) for (const o of node.outputs) onPath.add(o);

  let seed = options.seed;
  if (seed === undefined) {
    if (loss.shape.length !== 0) throw new GraphError(`gradients: loss ${loss.name} has shape ${formatShape(loss.shape)}; pass a seed for a non-scalar loss`);
    seed = graph.scalar(1, loss.dtype);
  } else if (!sameShape(seed.shape, loss.shape) || seed.dtype !== loss.dtype) {
    throw new GraphError(`gradients: seed ${seed.dtype}${formatShape(seed.shape)} does not match loss ${loss.dtype}${formatShape(loss.shape)}`);
  }

  const forward = new Set<Node>(graph.nodes);
  const contributions = new Map<Tensor, Tensor[]>([[loss, [seed]]]);
  const total = (t: Tensor): Tensor | undefined => {
    const parts = contributions.get(t);
    if (parts === undefined || parts.length === 0) return undefined;
    const sum = parts.reduce((acc, p) => accumulate(acc, p, forward));
    contributions.set(t, [sum]);
    return sum;
  };

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    const rule = node.def.grad;
    if (rule === undefined) continue;
    const gy = node.outputs.map(total);
    if (gy.every((g) => g === undefined)) continue;
    const wants = node.inputs.map((t) => onPath.has(t) && isFloat(t.dtype));
    if (!wants.some(Boolean)) continue;
    const gx = rule({ node, gy, wants, b: builders });
    node.inputs.forEach((input, k) => {
      const g = gx[k];
      if (!wants[k] || g === undefined) return;
      if (!sameShape(g.shape, input.shape) || g.dtype !== input.dtype) {
        throw new GraphError(
          `gradients: the ${node.def.op} rule returned ${g.dtype}${formatShape(g.shape)} for input ${k} (${input.name}: ${input.dtype}${formatShape(input.shape)})`,
        );
      }
      const parts = contributions.get(input);
      if (parts) parts.push(g);
      else contributions.set(input, [g]);
    });
  }

  return wrt.map((t) => {
    const g = total(t);
    if (g === undefined) throw new GraphError(`gradients: ${t.name} does not influence the loss ${loss.name}`);
    return g;
  });
}

/** Nodes (in graph order) that depend differentiably on some `wrt` tensor and on whose outputs the loss depends. */
export function nodesOnPath(nodes: readonly Node[], loss: Tensor, wrt: readonly Tensor[]): Node[] {
  const reached = new Set<Tensor>(wrt);
  const forward = new Set<Node>();
  for (const node of nodes) {
    // Ops without a rule (comparisons, StopGradient) pass no gradient, so what follows them is off the path.
    if (node.def.grad !== undefined && node.inputs.some((t) => reached.has(t))) {
      forward.add(node);
      for (const o of node.outputs) reached.add(o);
    }
  }
  const needed = new Set<Tensor>([loss]);
  const path: Node[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!node.outputs.some((o) => needed.has(o))) continue;
    for (const t of node.inputs) needed.add(t);
    if (forward.has(node)) path.push(node);
  }
  return path.reverse();
}

/**
 * acc + p. A contribution that a rule made with a Gemm without C takes the other part as its C instead, so
 * the sum costs no Add kernel and no pass over the sum (a LoRA factor's input gradient joins the base
 * projection's this way). Only Gemms made by this backward pass qualify: a forward Gemm's output is used
 * elsewhere and would be computed twice.
 */
function accumulate(acc: Tensor, p: Tensor, forward: ReadonlySet<Node>): Tensor {
  for (const [part, other] of [[p, acc], [acc, p]] as const) {
    const node = part.producer;
    if (node === undefined || node.def !== Gemm || node.inputs.length !== 2 || forward.has(node)) continue;
    if (!sameShape(part.shape, other.shape) || part.dtype !== other.dtype) continue;
    const alpha = node.attrs['alpha'];
    return builders.gemm(node.inputs[0]!, node.inputs[1]!, {
      transA: node.attrs['transA'] === true,
      transB: node.attrs['transB'] === true,
      ...(typeof alpha === 'number' ? { alpha } : {}),
      c: other,
    });
  }
  return builders.add(acc, p);
}
