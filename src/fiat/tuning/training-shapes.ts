import type { LoraSettings, TrainingSetup } from '../../engine/engine.ts';

/**
 * The shapes of a LoRA run on the small model θ_τ, fixed when its artifacts are built: what the memory check before
 * a download estimates, and what the run settings edit (saved per task: fiat/project/tuning-settings.ts). One place
 * for both, so the model panel's verdict is about the run that will be made.
 */
export interface TrainingShapes {
  readonly lora: LoraSettings;
  /** Examples per optimizer step. */
  readonly batchSize: number;
  /** Examples per forward/backward pass; gradients accumulate over batchSize / microBatchSize passes. */
  readonly microBatchSize: number;
  /** Tokens per example (prompt, reasoning and answer), padded. */
  readonly seqLen: number;
  /** GPU memory the user allows, in bytes; null: only the device's buffer limits are checked. */
  readonly memoryBudgetBytes: number | null;
}

/** r 8 on the attention's q and v (LoRA's own choice), batch 8 in micro-batches of 2, 512 tokens. */
export const DEFAULT_TRAINING_SHAPES: TrainingShapes = {
  lora: { r: 8, alpha: 16, targets: ['q', 'v'] },
  batchSize: 8,
  microBatchSize: 2,
  seqLen: 512,
  memoryBudgetBytes: null,
};

/** The engine's setup for these shapes on WebGPU (where there is none the estimate has no limits to check). */
export function webgpuSetup(shapes: TrainingShapes): TrainingSetup {
  const { lora, batchSize, microBatchSize, seqLen, memoryBudgetBytes } = shapes;
  return { lora, batchSize, microBatchSize, seqLen, ep: 'webgpu', ...(memoryBudgetBytes === null ? {} : { memoryBudgetBytes }) };
}

/** The shapes in the user's words: "LoRA r 8 on q, v; batch 8 (micro-batch 2); 512 tokens". */
export function describeShapes(shapes: TrainingShapes): string {
  const micro = shapes.microBatchSize < shapes.batchSize ? ` (micro-batch ${shapes.microBatchSize})` : '';
  return `LoRA r ${shapes.lora.r} on ${shapes.lora.targets.join(', ')}; batch ${shapes.batchSize}${micro}; ${shapes.seqLen} tokens`;
}
