import { PROJECTIONS, type ModelConfig, type Projection } from './config.ts';

/*
 * What a parsed config implies, for the graph builder, the weights loader and LoRA: each projection's shape and
 * Hugging Face module name, the checkpoint's tensors in state_dict order, and RoPE's inverse frequencies.
 */

/** in/out features of a projection (its weight is [out, in], as nn.Linear stores it). */
export function projectionShape(config: ModelConfig, projection: Projection): { inFeatures: number; outFeatures: number } {
  const q = config.numAttentionHeads * config.headDim;
  const kv = config.numKeyValueHeads * config.headDim;
  switch (projection) {
    case 'q':
      return { inFeatures: config.hiddenSize, outFeatures: q };
    case 'k':
    case 'v':
      return { inFeatures: config.hiddenSize, outFeatures: kv };
    case 'o':
      return { inFeatures: q, outFeatures: config.hiddenSize };
    case 'gate':
    case 'up':
      return { inFeatures: config.hiddenSize, outFeatures: config.intermediateSize };
    case 'down':
      return { inFeatures: config.intermediateSize, outFeatures: config.hiddenSize };
  }
}

/** The module path of a projection in the HF model: "model.layers.3.self_attn.q_proj", "model.layers.3.mlp.up_proj". */
export function projectionModuleName(layer: number, projection: Projection): string {
  const block = projection === 'gate' || projection === 'up' || projection === 'down' ? 'mlp' : 'self_attn';
  return `model.layers.${layer}.${block}.${projection}_proj`;
}

/** Qwen3's per-head RMSNorm weights of q and k ([head_dim] each), by checkpoint name. */
export function qkNormNames(layer: number): { q: string; k: string } {
  return { q: `model.layers.${layer}.self_attn.q_norm.weight`, k: `model.layers.${layer}.self_attn.k_norm.weight` };
}

export interface CheckpointParameter {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * The tensors of the HF checkpoint (model.safetensors) for this config, in the model's state_dict order.
 * A loader may meet extra tensors it can ignore (old checkpoints store rotary_emb.inv_freq; some tied ones
 * still store lm_head.weight).
 */
export function checkpointParameters(config: ModelConfig): CheckpointParameter[] {
  const out: CheckpointParameter[] = [{ name: 'model.embed_tokens.weight', shape: [config.vocabSize, config.hiddenSize] }];
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    for (const projection of PROJECTIONS) {
      const { inFeatures, outFeatures } = projectionShape(config, projection);
      const module = projectionModuleName(layer, projection);
      out.push({ name: `${module}.weight`, shape: [outFeatures, inFeatures] });
      if (config.bias[projection]) out.push({ name: `${module}.bias`, shape: [outFeatures] });
      // Qwen3Attention registers q_norm and k_norm after o_proj, before the MLP.
      if (projection === 'o' && config.qkNorm) {
        const norms = qkNormNames(layer);
        out.push({ name: norms.q, shape: [config.headDim] }, { name: norms.k, shape: [config.headDim] });
      }
    }
    out.push({ name: `model.layers.${layer}.input_layernorm.weight`, shape: [config.hiddenSize] });
    out.push({ name: `model.layers.${layer}.post_attention_layernorm.weight`, shape: [config.hiddenSize] });
  }
  out.push({ name: 'model.norm.weight', shape: [config.hiddenSize] });
  if (!config.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [config.vocabSize, config.hiddenSize] });
  return out;
}

/**
 * RoPE's inverse frequencies, headDim / 2 of them, in float64: 1 / theta^(2i / headDim), then the config's
 * scaling. (transformers computes these in float32; the difference is below float32's resolution.)
 * Rotary embedding then follows HF: angle[t, i] = t * invFreq[i] for position t, duplicated to headDim
 * (cat(freqs, freqs)), and q' = q * cos + rotate_half(q) * sin with rotate_half(x) = cat(-x2, x1).
 */
export function ropeInverseFrequencies(config: ModelConfig): Float64Array {
  const half = config.headDim / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = 1 / config.ropeTheta ** ((2 * i) / config.headDim);
  const scaling = config.ropeScaling;
  if (scaling?.type === 'linear') {
    for (let i = 0; i < half; i++) inv[i]! /= scaling.factor;
  } else if (scaling?.type === 'llama3') {
    const { factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings: context } = scaling;
    const lowFreqWavelen = context / lowFreqFactor;
    const highFreqWavelen = context / highFreqFactor;
    for (let i = 0; i < half; i++) {
      const freq = inv[i]!;
      const wavelen = (2 * Math.PI) / freq;
      if (wavelen > lowFreqWavelen) inv[i] = freq / factor;
      else if (wavelen >= highFreqWavelen) {
        const smooth = (context / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        inv[i] = ((1 - smooth) * freq) / factor + smooth * freq;
      }
    }
  }
  return inv;
}
