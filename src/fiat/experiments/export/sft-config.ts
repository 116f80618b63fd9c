import { adamwDefaults } from '../../../engine/engine.ts';
import type { RunPlan } from '../../tuning/run-controller.ts';

/**
 * trl.SFTConfig's arguments for a studio run, as JSON for `SFTConfig(output_dir=…, **json)`: the same optimizer
 * steps, learning-rate schedule, batch, sequence length and seed. What maps to what:
 * - lr: its peak (`learning_rate`); the schedule as transformers names it: constant ("constant", or
 *   "constant_with_warmup" with a warm-up), "linear", "cosine" (engine/lr-schedule.ts follows those schedulers);
 * - batch: the micro-batch per device, the rest accumulated (`per_device_train_batch_size` x
 *   `gradient_accumulation_steps` = the run's batch on one GPU);
 * - the sequence length is `max_length` (the studio's examples already fit it, so TRL truncates none);
 * - the seed seeds the data order (`seed`, `data_seed`); TRL's shuffle is not the studio's, so the batches differ;
 * - AdamW as the studio's train step: betas, eps, weight decay, and gradient clipping at `maxGradNorm` (0: none);
 * - loss on the completion only, no packing.
 */
export type SftRun = Pick<RunPlan, 'setup' | 'totalSteps' | 'lr' | 'seed'>;

export function sftConfig(run: SftRun): Record<string, unknown> {
  const { setup } = run;
  const micro = setup.microBatchSize ?? setup.batchSize;
  if (!Number.isInteger(setup.batchSize / micro)) throw new Error(`batch ${setup.batchSize} is not a multiple of micro-batch ${micro}`);
  const schedule = typeof run.lr === 'number' ? { peak: run.lr, warmupSteps: 0, decay: 'constant' as const } : run.lr;
  const warmup = schedule.warmupSteps ?? 0;
  const decay = schedule.decay ?? 'constant';
  const maxGradNorm = setup.maxGradNorm === undefined ? 1 : setup.maxGradNorm;
  return {
    max_steps: run.totalSteps,
    learning_rate: schedule.peak,
    lr_scheduler_type: decay === 'constant' ? (warmup > 0 ? 'constant_with_warmup' : 'constant') : decay,
    warmup_steps: warmup,
    per_device_train_batch_size: micro,
    gradient_accumulation_steps: setup.batchSize / micro,
    max_length: setup.seqLen,
    seed: run.seed,
    data_seed: run.seed,
    optim: 'adamw_torch',
    adam_beta1: adamwDefaults.beta1,
    adam_beta2: adamwDefaults.beta2,
    adam_epsilon: adamwDefaults.eps,
    weight_decay: setup.weightDecay ?? adamwDefaults.weightDecay,
    max_grad_norm: maxGradNorm ?? 0,
    completion_only_loss: true,
    packing: false,
    logging_steps: 1,
    report_to: 'none',
  };
}

export function sftConfigJson(run: SftRun): string {
  return `${JSON.stringify(sftConfig(run), null, 2)}\n`;
}

/** The run's settings in one line: "lr 0.0002 linear, warm-up 10, 100 steps, batch 8 (2 x 4 accumulated), 512 tokens, seed 0". */
export function describeSftRun(run: SftRun): string {
  const c = sftConfig(run);
  const accumulated = c.gradient_accumulation_steps === 1 ? '' : ` (${String(c.per_device_train_batch_size)} x ${String(c.gradient_accumulation_steps)} accumulated)`;
  return `lr ${String(c.learning_rate)} ${String(c.lr_scheduler_type)}, warm-up ${String(c.warmup_steps)}, ${run.totalSteps} steps, batch ${run.setup.batchSize}${accumulated}, ${run.setup.seqLen} tokens, seed ${run.seed}`;
}
