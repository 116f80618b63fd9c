import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, ExecutionProvider, ModelSource, TrainExample } from '../src/engine/engine.ts';
import type { LoraSpec } from '../src/models/lora.ts';
import { EXECUTION_PROVIDERS } from '../src/runtime/backend.ts';
import { nonNegativeInt, oneOf, parseFlags, parseLoraFlag, positiveInt, positiveNumber, required, UsageError } from './args.ts';
import { readJsonl, textField } from './jsonl.ts';
import { modelDirSource } from './model-dir.ts';

export const trainUsage = `fiat train --model <DIR> --data <F.jsonl> --lora r=8,alpha=16,targets=q,k,v,o,gate,up,down --steps N
           --batch B [--micro-batch M] --seq T --lr X [--warmup N] [--schedule constant|linear|cosine] [--seed S]
           [--ep node|wasm|webgpu] [--threads N] [--length-buckets off|64,128,...] --out <ADAPTER_DIR>
  LoRA-tunes the model on lines {"prompt": ..., "completion": ...} (the loss on the completion and EOS only) and
  writes a PEFT adapter: adapter_config.json + adapter_model.safetensors. Prints each step's loss. Each step takes
  B examples of a seeded shuffle, as ceil(B / M) micro-batches whose gradients accumulate, each padded to the smallest
  length bucket that holds it (the engine's default buckets; 'off' pads every micro-batch to --seq: the same updates,
  float32 rounding aside).`;

/** Runs on the engine `makeEngine` gives for the thread count (--threads), and disposes it. */
export async function trainCommand(argv: readonly string[], log: (line: string) => void, makeEngine: (threads?: number) => Engine): Promise<void> {
  const flags = parseFlags(argv, {
    model: { type: 'string' },
    data: { type: 'string' },
    lora: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    'micro-batch': { type: 'string' },
    seq: { type: 'string' },
    lr: { type: 'string' },
    warmup: { type: 'string' },
    schedule: { type: 'string' },
    seed: { type: 'string' },
    ep: { type: 'string' },
    threads: { type: 'string' },
    'length-buckets': { type: 'string' },
    out: { type: 'string' },
  });
  const modelDir = required(flags.model, '--model');
  const dataPath = required(flags.data, '--data');
  const lora = parseLoraFlag(flags.lora);
  const steps = positiveInt(flags.steps, '--steps');
  const batchSize = positiveInt(flags.batch, '--batch');
  const microBatchSize = positiveInt(flags['micro-batch'], '--micro-batch', batchSize);
  if (microBatchSize > batchSize) throw new UsageError(`--micro-batch: ${microBatchSize} is larger than --batch ${batchSize}`);
  const seqLen = positiveInt(flags.seq, '--seq');
  if (flags.lr === undefined) throw new UsageError('--lr is required (e.g. --lr 2e-4)');
  const peak = positiveNumber(flags.lr, '--lr', 0);
  const warmupSteps = nonNegativeInt(flags.warmup, '--warmup', 0);
  const decay = oneOf(flags.schedule, '--schedule', ['constant', 'linear', 'cosine'], 'constant');
  const seed = nonNegativeInt(flags.seed, '--seed', 0);
  const ep = oneOf(flags.ep, '--ep', EXECUTION_PROVIDERS, 'node');
  const threads = flags.threads === undefined ? undefined : positiveInt(flags.threads, '--threads');
  const lengthBuckets = flags['length-buckets'] === undefined ? undefined : parseLengthBuckets(flags['length-buckets']);
  const out = required(flags.out, '--out');
  const examples: TrainExample[] = readJsonl(dataPath, '--data').map(({ line, value }) => ({
    prompt: textField(dataPath, line, value, 'prompt'),
    completion: textField(dataPath, line, value, 'completion'),
  }));

  const source = await modelDirSource(modelDir);
  const engine = makeEngine(threads);
  try {
    await trainOn(engine, { source, examples, dataPath, lora, batchSize, microBatchSize, seqLen, ep, seed, threads, steps, peak, warmupSteps, decay, lengthBuckets, out }, log);
  } finally {
    await engine.dispose();
  }
}

interface TrainPlan {
  readonly source: ModelSource;
  readonly examples: readonly TrainExample[];
  readonly dataPath: string;
  readonly lora: LoraSpec;
  readonly batchSize: number;
  readonly microBatchSize: number;
  readonly seqLen: number;
  readonly ep: ExecutionProvider;
  readonly seed: number;
  readonly threads: number | undefined;
  readonly steps: number;
  readonly peak: number;
  readonly warmupSteps: number;
  readonly decay: 'constant' | 'linear' | 'cosine';
  readonly lengthBuckets: readonly number[] | 'off' | undefined;
  readonly out: string;
}

/** --length-buckets: 'off', or lengths separated by commas (the engine checks them against --seq). */
export function parseLengthBuckets(text: string): readonly number[] | 'off' {
  if (text === 'off') return 'off';
  return text.split(',').map((part) => positiveInt(part.trim(), '--length-buckets'));
}

async function trainOn(engine: Engine, plan: TrainPlan, log: (line: string) => void): Promise<void> {
  const { examples, dataPath, lora, batchSize, microBatchSize, seqLen, ep, seed, threads, steps, peak, warmupSteps, decay, out } = plan;
  const info = await engine.load(plan.source);
  log(`${info.label}: ${info.architecture}, ${(info.parameters / 1e6).toFixed(2)}M parameters (${info.weightDtype}); ${examples.length} examples from ${dataPath}`);
  const prepared = await engine.prepareTraining({
    lora,
    batchSize,
    microBatchSize,
    seqLen,
    ep,
    seed,
    ...(threads === undefined ? {} : { wasmThreads: threads }),
    ...(plan.lengthBuckets === undefined ? {} : { lengthBuckets: plan.lengthBuckets }),
  });
  log(`LoRA r=${lora.r} alpha=${lora.alpha} on ${lora.targets.join(',')}: ${prepared.trainableParameters} trainable; batch ${batchSize} in ${prepared.microBatches} micro-batch(es) of ${microBatchSize} x ${seqLen}; ep ${ep}`);
  await engine.train(
    { examples, steps, lr: warmupSteps === 0 && decay === 'constant' ? peak : { peak, warmupSteps, decay }, seed },
    { onProgress: (p) => log(`step ${p.step}/${p.steps}  loss ${p.loss.toFixed(6)}  lr ${p.lr.toExponential(3)}  tokens ${p.tokens}`) },
  );
  const adapter = await engine.readAdapter();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'adapter_config.json'), `${JSON.stringify(sortKeys(adapter.config), null, 2)}\n`);
  writeFileSync(join(out, 'adapter_model.safetensors'), adapter.weights);
  log(`wrote ${join(out, 'adapter_config.json')} and adapter_model.safetensors`);
}

/** PEFT writes adapter_config.json with sorted keys. */
function sortKeys(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(config).sort().map((k) => [k, config[k]]));
}
