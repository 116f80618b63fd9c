// Gradient checking against central finite differences, in float64, on an ORT backend.
//
// For a case y = f(x1..xn), a random cotangent c (a fixed input) turns y into the scalar
// L = sum(y * c); the analytic gradients dL/dxi come from our autodiff, the reference from
// (L(x + h e_j) - L(x - h e_j)) / 2h per element, h = 1e-5 * max(1, |x_j|).
import { gradients } from '../../src/graph/autodiff.ts';
import * as b from '../../src/graph/builders.ts';
import { Graph, type Tensor } from '../../src/graph/ir.ts';
import { emitOnnx } from '../../src/graph/onnx/emit.ts';
import type { Backend, HostTensor } from './ort-backends.ts';
import { rng, uniform } from './random.ts';
import { relativeError } from './relative-error.ts';
import { sizeOf } from '../../src/graph/shape.ts';

export interface InputSpec {
  readonly shape: readonly number[];
  readonly domain?: 'any' | 'positive' | 'indices' | 'mask' | 'labels';
  readonly max?: number;
  readonly grad?: boolean;
}

export interface CheckCase {
  readonly name: string;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly build: (x: Readonly<Record<string, Tensor>>) => Tensor;
}

/** Inputs, cotangent, forward value and finite-difference gradients of one case. */
export interface Reference {
  readonly feeds: Record<string, HostTensor>;
  readonly loss: number;
  readonly grads: Record<string, Float64Array>;
}


function makeInput(spec: InputSpec, random: () => number): HostTensor {
  const n = sizeOf(spec.shape);
  switch (spec.domain ?? 'any') {
    case 'positive':
      return { dtype: 'float64', shape: spec.shape, data: uniform(random, n, 0.5, 2) };
    case 'indices':
      return { dtype: 'int64', shape: spec.shape, data: BigInt64Array.from({ length: n }, () => BigInt(Math.floor(random() * (spec.max ?? 2)))) };
    case 'labels':
      return { dtype: 'float64', shape: spec.shape, data: Float64Array.from({ length: n }, () => Math.floor(random() * (spec.max ?? 2))) };
    case 'mask': {
      // Row r keeps its first (len - r) positions: row 0 has no padding, later rows end in padding.
      const len = spec.shape[spec.shape.length - 1]!;
      return { dtype: 'float64', shape: spec.shape, data: Float64Array.from({ length: n }, (_, i) => (i % len < len - Math.floor(i / len) ? 1 : 0)) };
    }
    default:
      return { dtype: 'float64', shape: spec.shape, data: uniform(random, n) };
  }
}

/** Builds the case's graph: inputs, y, and L = sum(y * cotangent). Optionally its gradients. */
export function buildCase(c: CheckCase, withGradients: boolean): { graph: Graph; gradNames: string[] } {
  const graph = new Graph(c.name.replace(/[^A-Za-z0-9_]/g, '_'));
  const inputs: Record<string, Tensor> = {};
  for (const [name, spec] of Object.entries(c.inputs)) inputs[name] = graph.input(name, spec.domain === 'indices' ? 'int64' : 'float64', spec.shape);
  const y = c.build(inputs);
  const cot = graph.input('cotangent', 'float64', y.shape);
  const prod = b.mul(y, cot);
  const loss = y.shape.length === 0 ? prod : b.reduceSum(prod, [...y.shape.keys()]);
  graph.output('L', loss);
  const gradNames: string[] = [];
  if (withGradients) {
    const wrt = Object.entries(c.inputs).filter(([, s]) => s.grad !== false && s.domain !== 'indices');
    const grads = gradients(loss, wrt.map(([name]) => inputs[name]!));
    wrt.forEach(([name], i) => {
      graph.output(`grad_${name}`, grads[i]!);
      gradNames.push(name);
    });
  }
  return { graph, gradNames };
}

export async function finiteDifferenceReference(c: CheckCase, backend: Backend): Promise<Reference> {
  const random = rng(c.name);
  const feeds: Record<string, HostTensor> = {};
  for (const [name, spec] of Object.entries(c.inputs)) feeds[name] = makeInput(spec, random);
  const { graph } = buildCase(c, false);
  const cotShape = graph.inputs.find((t) => t.name === 'cotangent')!.shape;
  feeds['cotangent'] = { dtype: 'float64', shape: cotShape, data: uniform(random, sizeOf(cotShape)) };
  const model = await backend.load(emitOnnx(graph));
  try {
    const evaluate = async (f: Record<string, HostTensor>) => ((await model.run(f, ['L']))['L']!.data as Float64Array)[0]!;
    const loss = await evaluate(feeds);
    const grads: Record<string, Float64Array> = {};
    for (const [name, spec] of Object.entries(c.inputs)) {
      if (spec.grad === false || spec.domain === 'indices') continue;
      const base = feeds[name]!.data as Float64Array;
      const g = new Float64Array(base.length);
      for (let j = 0; j < base.length; j++) {
        const h = 1e-5 * Math.max(1, Math.abs(base[j]!));
        const plus = Float64Array.from(base);
        const minus = Float64Array.from(base);
        plus[j] = base[j]! + h;
        minus[j] = base[j]! - h;
        const lp = await evaluate({ ...feeds, [name]: { ...feeds[name]!, data: plus } });
        const lm = await evaluate({ ...feeds, [name]: { ...feeds[name]!, data: minus } });
        g[j] = (lp - lm) / (plus[j]! - minus[j]!);
      }
      grads[name] = g;
    }
    return { feeds, loss, grads };
  } finally {
    await model.release();
  }
}

/** Runs the case's analytic gradients on `backend` with the reference's inputs; returns the worst relative error per gradient. */
export async function analyticErrors(c: CheckCase, reference: Reference, backend: Backend): Promise<{ loss: number; errors: Record<string, number> }> {
  const { graph, gradNames } = buildCase(c, true);
  const model = await backend.load(emitOnnx(graph));
  try {
    const out = await model.run(reference.feeds);
    const errors: Record<string, number> = {};
    for (const name of gradNames) errors[name] = relativeError(out[`grad_${name}`]!.data as Float64Array, reference.grads[name]!);
    return { loss: (out['L']!.data as Float64Array)[0]!, errors };
  } finally {
    await model.release();
  }
}
