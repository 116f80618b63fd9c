// A toy Llama-style decoder block with LoRA on q and v, built only from src/graph's public API:
// embedding Gather, RMSNorm, GQA causal attention with rotary and padding mask, SwiGLU MLP, LM head,
// masked cross-entropy. Used by the gradient check (FD through the whole block), the placement scan
// and the train-step run.
import * as b from '../../src/graph/builders.ts';
import type { Tensor } from '../../src/graph/ir.ts';
import { silu } from '../../src/graph/nn/activations.ts';
import { attentionBias, causalAttention } from '../../src/graph/nn/attention.ts';
import { maskedCrossEntropy } from '../../src/graph/nn/loss.ts';
import { linear, loraLinear } from '../../src/graph/nn/lora.ts';
import { rmsNorm } from '../../src/graph/nn/norm.ts';

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
