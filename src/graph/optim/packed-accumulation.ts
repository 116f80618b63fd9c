import { add } from '../builders.ts';
import type { DType } from '../dtype.ts';
import { Graph, type GraphOptions, type Tensor } from '../ir.ts';
import { GraphError } from '../shape.ts';
import type { AdamWOptions } from './adamw.ts';
import { outputPackedUpdate, packedGradient, packedUpdate, type PackedParams } from './packed-train-step.ts';
import type { TrainStep } from './train-step.ts';

/**
 * Gradient accumulation over micro-batches, split in two graphs so that one optimizer step over a batch of k
 * micro-batches gives the update of appendPackedTrainStep over the whole batch:
 *
 *   accumulate (once per micro-batch)  <flat>.grad_sum + d loss / d <flat>  -> <flat>.grad_sum.next
 *                                      loss_sum + loss                      -> loss_sum.next
 *   apply      (once per step)         clip_grad_norm_ + AdamW of <flat> by <flat>.grad_sum, as the fused step
 *
 * Exact only if the micro-batch's loss is its part of the whole batch's loss: a sum over its tokens divided by the
 * whole batch's token count, not its own (models/causal-lm.ts `lossDenominator`). The sums start from zeros; both
 * are graph inputs and outputs, so they stay where the runtime keeps outputs (GPU buffers) between micro-batches.
 */

export interface Accumulation {
  /** The scalar running loss: input and output. */
  readonly lossSum: { readonly input: string; readonly output: string };
  /** The flat running gradient: input and output, and the trainable input it is the gradient of. */
  readonly gradientSum: { readonly input: string; readonly output: string; readonly of: string };
}

/** Appends the accumulate step to the loss's graph (see the top): inputs loss_sum, <flat>.grad_sum; outputs their next values. */
export function appendPackedAccumulate(loss: Tensor, params: PackedParams): Accumulation {
  const graph = loss.graph;
  const p = params.flat;
  const grad = packedGradient(loss, params, 'appendPackedAccumulate');
  const lossSum = graph.input('loss_sum', loss.dtype, []);
  const gradSum = graph.input(gradientSumName(p.name), p.dtype, p.shape);
  const names = { lossSum: { input: lossSum.name, output: `${lossSum.name}.next` }, gradientSum: { input: gradSum.name, output: `${gradSum.name}.next`, of: p.name } };
  graph.output(names.lossSum.output, add(lossSum, loss));
  graph.output(names.gradientSum.output, add(gradSum, grad));
  return names;
}

export interface PackedApplyOptions {
  /** The flat trainable input's name and its shape ([P]), as in the accumulate graph. */
  readonly param: string;
  readonly size: number;
  readonly dtype: DType;
  readonly adamw?: AdamWOptions;
  /** Global-norm clipping of the summed gradient; omitted: none, and no grad_norm output. */
  readonly maxGradNorm?: number;
  readonly graph?: GraphOptions;
}

/**
 * The apply graph: inputs <flat>, <flat>.grad_sum (the accumulate graph's input name), lr, step, <flat>.adam_m,
 * <flat>.adam_v; outputs <flat>.next, <flat>.adam_m.next, <flat>.adam_v.next, [grad_norm]: the names and
 * semantics of appendPackedTrainStep's, with the summed gradient in place of one batch's.
 */
export function buildPackedApply(options: PackedApplyOptions): { graph: Graph; step: Omit<TrainStep, 'loss'>; gradientSum: string } {
  if (!Number.isInteger(options.size) || options.size < 1) throw new GraphError(`buildPackedApply: size must be a positive integer, got ${options.size}`);
  const graph = new Graph('apply', options.graph);
  const p = graph.input(options.param, options.dtype, [options.size]);
  const gradSum = graph.input(gradientSumName(p.name), p.dtype, p.shape);
  const step = outputPackedUpdate(packedUpdate(p, gradSum, options));
  return { graph, step, gradientSum: gradSum.name };
}

function gradientSumName(param: string): string {
  return `${param}.grad_sum`;
}
