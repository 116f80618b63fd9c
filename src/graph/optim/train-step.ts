import { gradients } from '../autodiff.ts';
import type { Tensor } from '../ir.ts';
import { GraphError } from '../shape.ts';
import { type AdamWOptions, adamwScalars, adamwUpdate } from './adamw.ts';
import { clipByGlobalNorm } from './clip.ts';

export interface TrainStepOptions {
  /** Scalar loss of the forward graph (becomes the output `loss`). */
  readonly loss: Tensor;
  /** Trainable tensors: graph inputs of the forward graph (their values change every step). */
  readonly params: readonly Tensor[];
  readonly adamw?: AdamWOptions;
  /** Global-norm clipping (clip_grad_norm_); omitted: no clipping and no grad_norm output. */
  readonly maxGradNorm?: number;
  /** Also output each raw (unclipped) gradient as `<param>.grad`. */
  readonly outputGradients?: boolean;
}

/** Names of one trainable tensor's state in the train-step graph. */
export interface TrainableState {
  readonly param: string;
  /** Inputs holding AdamW's first and second moments (same shape and dtype as the param; zeros at step 1). */
  readonly m: string;
  readonly v: string;
  /** Outputs: the updated param and moments (feed them back as the inputs above next step). */
  readonly paramOut: string;
  readonly mOut: string;
  readonly vOut: string;
  readonly grad?: string;
}

export interface TrainStep {
  /** Scalar inputs: learning rate and 1-based step count (float, same dtype as the loss). */
  readonly lr: string;
  readonly step: string;
  readonly loss: string;
  /** Output with the pre-clipping global gradient norm, when clipping is on. */
  readonly gradNorm?: string;
  readonly state: readonly TrainableState[];
}

/**
 * Appends backward + clipping + AdamW to the loss's graph and declares the step's inputs and outputs:
 *   inputs   lr, step, and for each param p: p.adam_m, p.adam_v
 *   outputs  loss, p.next, p.adam_m.next, p.adam_v.next, [grad_norm], [p.grad]
 * Only the gradients of `params` are computed (autodiff prunes everything else).
 */
export function appendTrainStep(options: TrainStepOptions): TrainStep {
  const { loss, params } = options;
  const graph = loss.graph;
  if (params.length === 0) throw new GraphError('appendTrainStep: no trainable tensors');
  for (const p of params) {
    if (p.kind !== 'input') throw new GraphError(`appendTrainStep: trainable ${p.name} must be a graph input (it is a ${p.kind})`);
  }
  const grads = gradients(loss, params);
  const lr = graph.input('lr', loss.dtype, []);
  const step = graph.input('step', loss.dtype, []);
  const clipped = options.maxGradNorm === undefined ? undefined : clipByGlobalNorm(grads, options.maxGradNorm);
  const scalars = adamwScalars(lr, step, options.adamw);

  graph.output('loss', loss);
  const state = params.map((p, i): TrainableState => {
    const m = graph.input(`${p.name}.adam_m`, p.dtype, p.shape);
    const v = graph.input(`${p.name}.adam_v`, p.dtype, p.shape);
    const next = adamwUpdate(p, clipped ? clipped.grads[i]! : grads[i]!, m, v, scalars, options.adamw);
    const names = { param: p.name, m: m.name, v: v.name, paramOut: `${p.name}.next`, mOut: `${m.name}.next`, vOut: `${v.name}.next` };
    graph.output(names.paramOut, next.param);
    graph.output(names.mOut, next.m);
    graph.output(names.vOut, next.v);
    if (!options.outputGradients) return names;
    graph.output(`${p.name}.grad`, grads[i]!);
    return { ...names, grad: `${p.name}.grad` };
  });
  if (clipped) graph.output('grad_norm', clipped.totalNorm);
  return { lr: lr.name, step: step.name, loss: 'loss', state, ...(clipped ? { gradNorm: 'grad_norm' } : {}) };
}
