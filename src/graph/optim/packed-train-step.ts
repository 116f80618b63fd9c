import { gradients } from '../autodiff.ts';
import { reshape } from '../builders.ts';
import type { DType } from '../dtype.ts';
import type { Graph, Tensor } from '../ir.ts';
import { concatTree, splitTree } from '../kernel-trees.ts';
import { GraphError, sizeOf, type Shape } from '../shape.ts';
import { type AdamWOptions, adamwScalars, adamwUpdate } from './adamw.ts';
import { clipByGlobalNorm } from './clip.ts';
import type { TrainStep } from './train-step.ts';

/**
 * Many small trainable tensors (LoRA: two per adapted projection, 420 for a 30-layer model with seven targets)
 * packed into one flat graph input. The forward pass reads each part through a tree of Splits and a Reshape;
 * the train step differentiates with respect to the parts, concatenates their gradients once, and runs
 * clipping and AdamW on the flat vector. Against one AdamW per tensor (appendTrainStep) this replaces ~17
 * small kernels per tensor (~7,000 for such a model, each a GPU dispatch) with ~20 in all, and 3 state
 * inputs/outputs instead of 3 per tensor.
 */

export interface PackedPart {
  readonly name: string;
  /** Element offset of the part in the flat vector (row-major). */
  readonly offset: number;
  readonly shape: readonly number[];
}

export interface PackedParams {
  /** The flat graph input [P]. */
  readonly flat: Tensor;
  /** The parts as the model uses them (Reshape of a Slice of `flat`), in layout order. */
  readonly parts: readonly Tensor[];
  readonly layout: readonly PackedPart[];
}

/** Declares the flat input `name` holding `parts` back to back, and the views the model reads them through. */
export function packedParams(graph: Graph, name: string, dtype: DType, parts: readonly { name: string; shape: Shape }[]): PackedParams {
  if (parts.length === 0) throw new GraphError(`packedParams ${name}: no parts`);
  const layout: PackedPart[] = [];
  let offset = 0;
  for (const p of parts) {
    layout.push({ name: p.name, offset, shape: [...p.shape] });
    offset += sizeOf(p.shape);
  }
  const flat = graph.input(name, dtype, [offset]);
  // A tree of Splits (kernel-trees.ts): 72 kernels for 420 parts, against a Slice each.
  const pieces = splitTree(flat, layout.map((p) => sizeOf(p.shape)));
  const views = layout.map((p, i) => reshape(pieces[i]!, p.shape));
  return { flat, parts: views, layout };
}

export interface PackedTrainStepOptions {
  readonly loss: Tensor;
  readonly params: PackedParams;
  readonly adamw?: AdamWOptions;
  /** Global-norm clipping (clip_grad_norm_ over all parts); omitted: no clipping and no grad_norm output. */
  readonly maxGradNorm?: number;
  /** Also output the raw (unclipped) flat gradient as `<flat>.grad` (layout as the flat input). */
  readonly outputGradients?: boolean;
}

/**
 * Appends backward + clipping + AdamW over the packed parameters, with the same names and semantics as
 * appendTrainStep for a single trainable (the flat input): inputs lr, step, <flat>.adam_m, <flat>.adam_v;
 * outputs loss, <flat>.next, <flat>.adam_m.next, <flat>.adam_v.next, [grad_norm], [<flat>.grad].
 * Elementwise AdamW on the flat vector is exactly AdamW on each part, and the global norm is the same.
 */
export function appendPackedTrainStep(options: PackedTrainStepOptions): TrainStep {
  const { loss, params } = options;
  const grad = packedGradient(loss, params, 'appendPackedTrainStep');
  const update = packedUpdate(params.flat, grad, options);
  loss.graph.output('loss', loss);
  const step = outputPackedUpdate(update);
  if (!options.outputGradients) return { ...step, loss: 'loss' };
  const name = `${params.flat.name}.grad`;
  loss.graph.output(name, grad);
  return { ...step, loss: 'loss', state: [{ ...step.state[0]!, grad: name }] };
}

/** The flat gradient of `loss` with respect to the packed parameters (layout as the flat input). */
export function packedGradient(loss: Tensor, params: PackedParams, caller: string): Tensor {
  const p = params.flat;
  if (p.kind !== 'input' || p.graph !== loss.graph) throw new GraphError(`${caller}: ${p.name} must be an input of the loss's graph`);
  return concatTree(gradients(loss, params.parts).map((g) => reshape(g, [-1])));
}

/** Clipping and AdamW of a flat parameter input by `grad`, with their inputs declared (outputs: outputPackedUpdate). */
export interface PackedUpdate {
  readonly param: Tensor;
  readonly lr: Tensor;
  readonly step: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
  readonly next: { readonly param: Tensor; readonly m: Tensor; readonly v: Tensor };
  /** The pre-clipping global norm; absent without clipping. */
  readonly gradNorm?: Tensor;
}

/** Declares the inputs lr, step, <p>.adam_m, <p>.adam_v (in that order) and computes the clipped AdamW update of `p`. */
export function packedUpdate(p: Tensor, grad: Tensor, options: { readonly adamw?: AdamWOptions; readonly maxGradNorm?: number }): PackedUpdate {
  const graph = p.graph;
  const lr = graph.input('lr', p.dtype, []);
  const step = graph.input('step', p.dtype, []);
  const clipped = options.maxGradNorm === undefined ? undefined : clipByGlobalNorm([grad], options.maxGradNorm);
  const scalars = adamwScalars(lr, step, options.adamw);
  const m = graph.input(`${p.name}.adam_m`, p.dtype, p.shape);
  const v = graph.input(`${p.name}.adam_v`, p.dtype, p.shape);
  const next = adamwUpdate(p, clipped ? clipped.grads[0]! : grad, m, v, scalars, options.adamw);
  return { param: p, lr, step, m, v, next, ...(clipped ? { gradNorm: clipped.totalNorm } : {}) };
}

/** Declares the outputs <p>.next, <p>.adam_m.next, <p>.adam_v.next and [grad_norm] of an update; names them as a TrainStep. */
export function outputPackedUpdate(u: PackedUpdate): Omit<TrainStep, 'loss'> {
  const graph = u.param.graph;
  const names = { param: u.param.name, m: u.m.name, v: u.v.name, paramOut: `${u.param.name}.next`, mOut: `${u.m.name}.next`, vOut: `${u.v.name}.next` };
  graph.output(names.paramOut, u.next.param);
  graph.output(names.mOut, u.next.m);
  graph.output(names.vOut, u.next.v);
  if (u.gradNorm) graph.output('grad_norm', u.gradNorm);
  return { lr: u.lr.name, step: u.step.name, state: [names], ...(u.gradNorm ? { gradNorm: 'grad_norm' } : {}) };
}
