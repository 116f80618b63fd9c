import * as builders from '../builders.ts';
import { add, div, equal, exp, log, matmul, max, mul, reduceMax, reduceSum, reshape, stopGradient, sub, transpose, where } from '../builders.ts';
import type { Tensor } from '../ir.ts';
import { concatTree, splitTree } from '../kernel-trees.ts';
import { splitSumProduct } from '../ops/matmul.ts';
import { GraphError, formatShape } from '../shape.ts';

/**
 * Masked token cross-entropy, the loss contract shared with src/models and the PyTorch fixtures:
 *   logits    float [B, T, V]
 *   labels    float [B, T]  target token id at each position, already shifted (labels[t] = input_ids[t+1]);
 *                           any value where masked
 *   lossMask  float [B, T]  1 where the token counts, 0 elsewhere
 *   loss = sum(lossMask * -log softmax(logits)[label]) / max(sum(lossMask), 1)
 * or, with `denominator` (a scalar, e.g. a graph input), sum(...) / denominator: a micro-batch's part of a larger
 * batch's loss, whose completion-token count the caller knows (gradient accumulation).
 *
 * The target logit is picked without OneHot and without int64 compares (both leave the GPU on
 * WebGPU): Equal of labels[..., None] against a float iota [V], Cast to float, Mul, ReduceSum.
 * Token ids are exact in float32 up to 2^24, far above any vocabulary.
 * nll = logsumexp(logits) - logits[label], with the max subtracted for stability held constant.
 */
export function maskedCrossEntropy(logits: Tensor, labels: Tensor, lossMask: Tensor, denominator?: Tensor): Tensor {
  if (logits.shape.length !== 3) throw new GraphError(`maskedCrossEntropy: logits must be [B, T, V], got ${formatShape(logits.shape)}`);
  const [b, t, v] = logits.shape as [number, number, number];
  checkTargets('maskedCrossEntropy', logits, labels, lossMask);
  const iota = iotaOf(logits, v);
  const target = equal(reshape(labels, [b, t, 1]), iota); // [B, T, V] bool one-hot
  const picked = reduceSum(where(target, logits, 0), [-1]); // [B, T]
  const m = stopGradient(reduceMax(logits, [-1], true)); // [B, T, 1]
  const logSumExp = add(reshape(m, [b, t]), log(reduceSum(exp(sub(logits, m)), [-1])));
  const nll = sub(logSumExp, picked);
  return div(reduceSum(mul(lossMask, nll), [0, 1]), lossDenominator(lossMask, denominator));
}

/** The loss's divisor: `denominator` when given (a scalar of the mask's dtype), else max(sum(lossMask), 1). */
function lossDenominator(lossMask: Tensor, denominator: Tensor | undefined): Tensor {
  if (denominator === undefined) return max(reduceSum(lossMask, [0, 1]), 1);
  if (denominator.shape.length !== 0 || denominator.dtype !== lossMask.dtype) {
    throw new GraphError(`loss denominator must be a ${lossMask.dtype} scalar, got ${denominator.dtype} ${formatShape(denominator.shape)}`);
  }
  return denominator;
}

/** The most bytes one chunk's [rows, V] tensor of linearCrossEntropy may take (a few such are live at once). */
export const LOSS_CHUNK_BYTES = 256 * 2 ** 20;

/**
 * The row counts linearCrossEntropy cuts `rows` into: as few chunks as keep each [rows, vocab] tensor within `maxBytes`
 * (a single row may exceed it), as even as can be.
 */
export function lossChunks(rows: number, vocab: number, bytesPerElement: number, maxBytes = LOSS_CHUNK_BYTES): number[] {
  const maxRows = Math.max(1, Math.floor(maxBytes / (vocab * bytesPerElement)));
  const count = Math.ceil(rows / maxRows);
  return Array.from({ length: count }, (_, i) => Math.floor(rows / count) + (i < rows % count ? 1 : 0));
}

/**
 * maskedCrossEntropy(x head^T, labels, lossMask) for hidden states x [B, T, H] and a frozen head [V, H], without a
 * [B, T, V] tensor. The B*T rows are cut into chunks (`chunks`, row counts; lossChunks), and each chunk's logits,
 * its part of the loss and its rows of x's gradient,
 *   dx = ((softmax(logits) - onehot(label)) * lossMask / max(sum(lossMask), 1)) head   (or / denominator),
 * are computed in the forward pass, one chunk after another: only one chunk's [rows, V] tensors are live at a time
 * (GPU memory, and the size of one GPU buffer: the [4096, 151936] float32 logits of a Qwen2.5 batch of 8 x 512
 * take 2.5 GB).
 *
 * The value is the loss, a sum over chunks of part + (S - S'), with part the chunk's share of the loss (held
 * constant), S = sum(x_chunk * dx) (dx held constant) and S' = S held constant: S - S' is exactly 0 (a float minus
 * itself) and its gradient with respect to x_chunk is dx (a straight-through term). Nothing else gets a gradient
 * through this loss: the head must be frozen (a head tied to the embedding gets only its embedding-side
 * gradient), and labels and mask are data. In a bench on SwiftShader (4 x 256 rows, vocab 32,000, 131 MB of
 * logits) the step's peak of GPU buffers was 598 MB with the logits whole, 310 MB in 4 chunks without the
 * ordering edge below, 190 MB with it, 223 MB with the head product split as below (bench/engine/README.md).
 */
export function linearCrossEntropy(x: Tensor, head: Tensor, labels: Tensor, lossMask: Tensor, chunks: readonly number[], denominator?: Tensor): Tensor {
  if (x.shape.length !== 3) throw new GraphError(`linearCrossEntropy: x must be [B, T, H], got ${formatShape(x.shape)}`);
  const [b, t, h] = x.shape as [number, number, number];
  if (head.shape.length !== 2 || head.shape[1] !== h || head.dtype !== x.dtype) {
    throw new GraphError(`linearCrossEntropy: head must be ${x.dtype} [V, ${h}], got ${head.dtype} ${formatShape(head.shape)}`);
  }
  checkTargets('linearCrossEntropy', x, labels, lossMask);
  const rows = b * t;
  if (chunks.length === 0 || chunks.some((r) => !Number.isInteger(r) || r < 1) || chunks.reduce((a, r) => a + r, 0) !== rows) {
    throw new GraphError(`linearCrossEntropy: chunks [${chunks.join(', ')}] must be positive row counts summing to B*T = ${rows}`);
  }
  const v = head.shape[0]!;
  const g = x.graph;
  const iota = iotaOf(x, v);
  const always = g.memo('bool:true', () => g.constant('bool', [], [1]));
  const w = stopGradient(head);
  // The head's transpose taken before the StopGradient: a head kept in both layouts (Graph.declareTranspose) is
  // then read as it is, with no Transpose per step.
  const wt = stopGradient(transpose(head, [1, 0]));
  const share = div(reshape(lossMask, [rows, 1]), lossDenominator(lossMask, denominator)); // each row's weight in the loss
  const xs = splitTree(reshape(x, [rows, h]), chunks); // carries x's gradient (a Split's is a Concat)
  const ys = splitTree(stopGradient(reshape(labels, [rows, 1])), chunks);
  const ws = splitTree(stopGradient(share), chunks);
  // One term per chunk, each the sum of the previous ones and its own: everything of a chunk is computed before
  // the next chunk starts.
  let total: Tensor | undefined;
  chunks.forEach((_, c) => {
    const logits = matmul(stopGradient(xs[c]!), wt); // [R, V]
    const shifted = sub(logits, reduceMax(logits, [-1], true));
    const e = exp(shifted);
    const z = reduceSum(e, [-1], true); // [R, 1]
    const target = equal(ys[c]!, iota); // [R, V] bool one-hot
    const picked = reduceSum(where(target, shifted, 0), [-1], true); // [R, 1]
    const part = reduceSum(mul(ws[c]!, sub(log(z), picked)), [0, 1]);
    // onnxruntime runs the nodes in a depth-first order from the outputs, and the backward pass reaches a chunk
    // through its dx first: without an edge from `picked` into dx, the loss part (which reads shifted and target)
    // would run only after every chunk's dx, keeping those [R, V] tensors of every chunk live. The Where is that
    // edge: it always selects share / z ([R, 1], one small kernel).
    const scale = where(always, div(ws[c]!, z), picked);
    // d loss / d logits = (softmax - onehot) * share = e * (share / z) - where(target, share, 0); its product by the
    // head sums over the vocabulary into a small [R, H], so it is split along the vocabulary (ops/matmul.ts).
    const dx = stopGradient(splitSumProduct(builders, sub(mul(e, scale), where(target, ws[c]!, 0)), w)); // [R, H]
    const s = reduceSum(mul(xs[c]!, dx), [0, 1]);
    const term = add(stopGradient(part), sub(s, stopGradient(s)));
    total = total === undefined ? term : add(total, term);
  });
  return total!;
}

/** Labels and loss mask must be [B, T] (x's first two axes) in x's dtype. */
function checkTargets(caller: string, x: Tensor, labels: Tensor, lossMask: Tensor): void {
  const [b, t] = x.shape as [number, number];
  for (const [what, y] of [['labels', labels], ['lossMask', lossMask]] as const) {
    if (y.shape.length !== 2 || y.shape[0] !== b || y.shape[1] !== t || y.dtype !== x.dtype) {
      throw new GraphError(`${caller}: ${what} must be ${x.dtype} [${b}, ${t}], got ${y.dtype} ${formatShape(y.shape)}`);
    }
  }
}

/** The float token ids 0 .. v-1 in x's dtype, once per graph: the one-hot is an Equal of the labels against it. */
function iotaOf(x: Tensor, v: number): Tensor {
  const g = x.graph;
  return g.memo(`iota:${v}:${x.dtype}`, () => g.constant(x.dtype, [v], Array.from({ length: v }, (_, i) => i)));
}

/**
 * log softmax(x head^T)[labels] for hidden states x [B, T, H] and a head [V, H]: each position's log-probability of
 * its label, [B, T], for scoring. The B*T rows run in chunks (`chunks`, lossChunks) as in linearCrossEntropy, so no
 * [B, T, V] tensor exists; no gradient flows (inference only). The target is picked as the loss picks it (a float
 * Equal against the iota), and log-sum-exp is taken with the row's max subtracted.
 */
export function tokenLogProbs(x: Tensor, head: Tensor, labels: Tensor, chunks: readonly number[]): Tensor {
  if (x.shape.length !== 3) throw new GraphError(`tokenLogProbs: x must be [B, T, H], got ${formatShape(x.shape)}`);
  const [b, t, h] = x.shape as [number, number, number];
  if (head.shape.length !== 2 || head.shape[1] !== h || head.dtype !== x.dtype) {
    throw new GraphError(`tokenLogProbs: head must be ${x.dtype} [V, ${h}], got ${head.dtype} ${formatShape(head.shape)}`);
  }
  checkTargets('tokenLogProbs', x, labels, labels);
  const rows = b * t;
  if (chunks.length === 0 || chunks.some((r) => !Number.isInteger(r) || r < 1) || chunks.reduce((a, r) => a + r, 0) !== rows) {
    throw new GraphError(`tokenLogProbs: chunks [${chunks.join(', ')}] must be positive row counts summing to B*T = ${rows}`);
  }
  const v = head.shape[0]!;
  const iota = iotaOf(x, v);
  const wt = transpose(head, [1, 0]);
  const xs = splitTree(reshape(x, [rows, h]), chunks);
  const ys = splitTree(reshape(labels, [rows, 1]), chunks);
  const parts = chunks.map((_, c) => {
    const logits = matmul(xs[c]!, wt); // [R, V]
    const shifted = sub(logits, reduceMax(logits, [-1], true));
    const picked = reduceSum(where(equal(ys[c]!, iota), shifted, 0), [-1], true); // [R, 1]
    return sub(picked, log(reduceSum(exp(shifted), [-1], true)));
  });
  return reshape(concatTree(parts, 0), [b, t]);
}
