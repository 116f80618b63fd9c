import type { ModelConfig } from '../models/config.ts';
import type { MemoryEstimate } from './engine.ts';
import type { MemorySetup } from './memory.ts';
import { isAllWeights } from '../models/trained-weights.ts';

/**
 * What to change when a train step does not fit, in the user's words, or null when it fits: the peak must be within
 * the budget and the largest buffer within the device's largest buffer and storage binding.
 *
 * The advice is worked out from the estimate's parts, without estimating again: activations scale at least
 * linearly with micro-batch x sequence length (attention's [T, T] tensors more), so a linear scale-down says how
 * far each must go, conservatively. Weights and the adapter do not shrink with the shapes: when they alone
 * exceed the budget, or a weight alone exceeds the device's largest buffer, only a smaller model helps.
 */
export function memoryAdvice(config: ModelConfig, setup: MemorySetup, estimate: Omit<MemoryEstimate, 'fits' | 'advice'>): string[] | null {
  const { limits, budgetBytes, parts } = estimate;
  const bufferLimit = limits === null ? Infinity : Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const tooLarge = estimate.largestBufferBytes > bufferLimit;
  const overBudget = budgetBytes !== null && estimate.peakBytes > budgetBytes;
  if (!tooLarge && !overBudget) return null;

  const smaller = 'a smaller model';
  // The largest weight: the embedding (also the head when tied), or an untied lm_head of the same shape.
  const largestWeight = config.vocabSize * config.hiddenSize * 4;
  const fixed = parts.weights + parts.adapterAndOptimizer;
  if (largestWeight > bufferLimit || (budgetBytes !== null && fixed >= budgetBytes)) return [smaller];

  // The share of the activations that may stay: both checks scale (roughly) with micro-batch x sequence length.
  let keep = 1;
  if (tooLarge) keep = Math.min(keep, bufferLimit / estimate.largestBufferBytes);
  if (overBudget) keep = Math.min(keep, (budgetBytes - fixed) / parts.activations);

  const advice: string[] = [];
  const b = setup.microBatchSize;
  const t = setup.seqLen;
  const batch = halvings(b, (m) => m / b <= keep);
  if (batch !== null) advice.push(`micro-batch ${batch} instead of ${b}`);
  const seq = halvings(t, (s) => s / t <= keep, 16);
  if (seq !== null) advice.push(`sequence length ${seq} instead of ${t}`);
  if (batch === null && seq === null && b > 1 && t > 16) {
    const m = Math.max(1, Math.floor(b / 2));
    const s = halvings(t, (x) => (m / b) * (x / t) <= keep, 16);
    if (s !== null) advice.push(`micro-batch ${m} and sequence length ${s}`);
  }
  // Captured, every bucket keeps its buffers (memory.ts); without buckets only seqLen's does.
  if (setup.graphCapture && (setup.lengthBuckets?.length ?? 1) > 1) advice.push('length buckets off');
  if (!isAllWeights(setup.lora) && setup.lora.targets.length > 2) advice.push('LoRA on fewer projections (q, v)');
  advice.push(smaller);
  return advice;
}

/** The largest of n/2, n/4, ... (at least `floor`) that `ok` accepts, or null. */
function halvings(n: number, ok: (x: number) => boolean, floor = 1): number | null {
  for (let x = Math.floor(n / 2); x >= floor; x = Math.floor(x / 2)) if (ok(x)) return x;
  return null;
}
