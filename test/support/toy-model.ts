// A toy Llama-style decoder block with LoRA on q and v, built only from src/graph's public API:
// embedding Gather, RMSNorm, GQA causal attention with rotary and padding mask, SwiGLU MLP, LM head,
// masked cross-entropy. Used by the gradient check (FD through the whole block), the placement scan,
// the train-step run and the WebGPU check (scripts/graph-webgpu-check.ts); the last three through
// buildToyTrainStep.
import * as b from '../../src/graph/builders.ts';
import { Graph, type Tensor } from '../../src/graph/ir.ts';
import { silu } from '../../src/graph/nn/activations.ts';
import { attentionBias, causalAttention } from '../../src/graph/nn/attention.ts';
import { maskedCrossEntropy } from '../../src/graph/nn/loss.ts';
import { linear, loraLinear } from '../../src/graph/nn/lora.ts';
import { rmsNorm } from '../../src/graph/nn/norm.ts';
import { emitOnnx } from '../../src/graph/onnx/emit.ts';
import type { AdamWOptions } from '../../src/graph/optim/adamw.ts';
import { appendTrainStep, type TrainStep } from '../../src/graph/optim/train-step.ts';
import type { HostTensor } from './ort-backends.ts';
import { rng, uniform } from './random.ts';
import { sizeOf } from '../../src/graph/shape.ts';

export const toy = { batch: 2, seq: 5, vocab: 11, hidden: 8, heads: 4, kvHeads: 2, headDim: 2, inter: 12, rank: 2, alpha: 4 } as const;

/** Shapes of the block's weights; lora_* are the trainable tensors, the rest are frozen. */
export const toyWeights: Readonly<Record<string, readonly number[]>> = {
  embed: [toy.vocab, toy.hidden],
  ln1: [toy.hidden],
  wq: [toy.heads * toy.headDim, toy.hidden],
  wk: [toy.kvHeads * toy.headDim, toy.hidden],
  wv: [toy.kvHeads * toy.headDim, toy.hidden],
  wo: [toy.hidden, toy.heads * toy.headDim],
  ln2: [toy.hidden],
  gate: [toy.inter, toy.hidden],
  up: [toy.inter, toy.hidden],
  down: [toy.hidden, toy.inter],
  lnf: [toy.hidden],
  lm_head: [toy.vocab, toy.hidden],
  lora_q_A: [toy.rank, toy.hidden],
  lora_q_B: [toy.heads * toy.headDim, toy.rank],
  lora_v_A: [toy.rank, toy.hidden],
  lora_v_B: [toy.kvHeads * toy.headDim, toy.rank],
};

export const toyTrainable = ['lora_q_A', 'lora_q_B', 'lora_v_A', 'lora_v_B'] as const;

/** The masked token loss of the block. `x` holds input_ids (int64), attention_mask, labels, loss_mask and every weight. */
export function toyLoss(x: Readonly<Record<string, Tensor>>): Tensor {
  const t = (k: string): Tensor => {
    const v = x[k];
    if (v === undefined) throw new Error(`toy block: ${k} missing`);
    return v;
  };
  const bias = attentionBias(t('attention_mask'));
  let h = b.gather(t('embed'), t('input_ids')); // [B, T, H]
  const a = rmsNorm(h, t('ln1'), 1e-6);
  const q = loraLinear(a, { weight: t('wq'), loraA: t('lora_q_A'), loraB: t('lora_q_B'), alpha: toy.alpha });
  const k = linear(a, t('wk'));
  const v = loraLinear(a, { weight: t('wv'), loraA: t('lora_v_A'), loraB: t('lora_v_B'), alpha: toy.alpha });
  const att = causalAttention(q, k, v, { nHeads: toy.heads, nKvHeads: toy.kvHeads, headDim: toy.headDim, bias, ropeTheta: 10000 });
  h = b.add(h, linear(att, t('wo')));
  const m = rmsNorm(h, t('ln2'), 1e-6);
  h = b.add(h, linear(b.mul(silu(linear(m, t('gate'))), linear(m, t('up'))), t('down')));
  const logits = linear(rmsNorm(h, t('lnf'), 1e-6), t('lm_head'));
  return maskedCrossEntropy(logits, t('labels'), t('loss_mask'));
}

export interface ToyTrainStepOptions {
  /** Seed of the weights: every weight, frozen or trainable, is uniform in [-0.5, 0.5), drawn in toyWeights order. */
  readonly seed: string;
  /** Frozen weights as graph inputs (and in `feeds`) instead of initializers. */
  readonly frozenAsInputs?: boolean;
  readonly maxGradNorm?: number;
  readonly adamw?: AdamWOptions;
  readonly outputGradients?: boolean;
  /** Start each lora_*_B at zero, as PEFT does (its values are still drawn, so the other weights do not change). */
  readonly zeroLoraB?: boolean;
}

export interface ToyTrainStep {
  /** The emitted ONNX model (frozen weights as inputs when `frozenAsInputs`). */
  readonly model: Uint8Array;
  readonly step: TrainStep;
  /**
   * Everything the first step reads but lr and step: the batch (token i is (3 i) mod vocab, labels are the
   * next tokens, the last position is padding and the last two are out of the loss), the trainable tensors,
   * their zero AdamW moments, and the frozen weights when they are inputs.
   */
  readonly feeds: Record<string, HostTensor>;
}

/** The toy block's LoRA train step (appendTrainStep over toyLoss), emitted, with the feeds of its first step. */
export function buildToyTrainStep(options: ToyTrainStepOptions): ToyTrainStep {
  const random = rng(options.seed);
  const frozenAsInputs = options.frozenAsInputs ?? false;
  const graph = new Graph('toy_train_step');
  const dims = [toy.batch, toy.seq];
  const x: Record<string, Tensor> = {
    input_ids: graph.input('input_ids', 'int64', dims),
    attention_mask: graph.input('attention_mask', 'float32', dims),
    labels: graph.input('labels', 'float32', dims),
    loss_mask: graph.input('loss_mask', 'float32', dims),
  };
  const feeds: Record<string, HostTensor> = {};
  const params: Tensor[] = [];
  for (const [name, shape] of Object.entries(toyWeights)) {
    const data = Float32Array.from(uniform(random, sizeOf(shape), -0.5, 0.5));
    if ((toyTrainable as readonly string[]).includes(name)) {
      x[name] = graph.input(name, 'float32', shape);
      params.push(x[name]);
      feeds[name] = { dtype: 'float32', shape, data: options.zeroLoraB && name.endsWith('_B') ? new Float32Array(data.length) : data };
    } else {
      x[name] = graph.initializer(name, 'float32', shape, data);
      if (frozenAsInputs) feeds[name] = { dtype: 'float32', shape, data };
    }
  }
  const step = appendTrainStep({
    loss: toyLoss(x),
    params,
    ...(options.maxGradNorm === undefined ? {} : { maxGradNorm: options.maxGradNorm }),
    ...(options.adamw ? { adamw: options.adamw } : {}),
    ...(options.outputGradients ? { outputGradients: true } : {}),
  });
  for (const s of step.state) {
    const { shape } = feeds[s.param]!;
    feeds[s.m] = { dtype: 'float32', shape, data: new Float32Array(sizeOf(shape)) };
    feeds[s.v] = { dtype: 'float32', shape, data: new Float32Array(sizeOf(shape)) };
  }
  const n = toy.batch * toy.seq;
  const ids = Array.from({ length: n + 1 }, (_, i) => (i * 3) % toy.vocab);
  feeds['input_ids'] = { dtype: 'int64', shape: dims, data: BigInt64Array.from(ids.slice(0, n), BigInt) };
  feeds['labels'] = { dtype: 'float32', shape: dims, data: Float32Array.from(ids.slice(1)) };
  feeds['attention_mask'] = { dtype: 'float32', shape: dims, data: Float32Array.from({ length: n }, (_, i) => (i === n - 1 ? 0 : 1)) };
  feeds['loss_mask'] = { dtype: 'float32', shape: dims, data: Float32Array.from({ length: n }, (_, i) => (i >= n - 2 ? 0 : 1)) };
  return { model: emitOnnx(graph, { initializersAsInputs: frozenAsInputs }), step, feeds };
}
