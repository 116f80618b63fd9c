import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ModelSource } from '../src/engine/engine.ts';
import { sampleSequences } from '../src/models/batch.ts';
import { parseJsonText } from '../src/models/config-error.ts';
import { EXECUTION_PROVIDERS } from '../src/runtime/backend.ts';
import { nonNegativeInt, oneOf, parseFlags, parseLoraFlag, positiveInt, positiveNumber, UsageError } from './args.ts';
import { stepFigures } from './bench-figures.ts';
import { nodeEngine } from '../src/engine/node/engine-node.ts';
import { decimal } from './format.ts';
import { GpuMemoryMeter } from '../src/engine/node/gpu-memory.ts';
import { modelDirSource } from './model-dir.ts';

export const benchUsage = `fiat bench (--config <config.json> | --model <DIR>) --lora r=8,alpha=16,targets=...
           --batch B --seq T --ep wasm|node|webgpu [--micro-batch M] [--steps N] [--warmup N] [--threads N]
           [--lr X] [--ort-build all|webgpu] [--graph-capture] [--seed N] [--json] [--loss-chunk-mib N] [--no-sum-split]
  Times LoRA train steps through the engine on one backend: tokens/s (B x T per step, padding included), ms/step,
  peak memory. --config: seeded random weights for that config; --model: a model folder (tokenizer not needed).
  --loss-chunk-mib: the train step's logits per loss chunk (default: sized from the GPU's binding limit, 256 on CPU).
  --no-sum-split: products with few GPU tiles for a long sum run whole (to measure what cutting them buys).
  --graph-capture (webgpu) replays the train step's recorded kernels.
  --ep webgpu runs onnxruntime-web's WebGPU EP in Node through dawn.node; without a GPU set
  VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader: slow, tiny shapes only).`;

export interface BenchResult {
  readonly ep: string;
  readonly model: string;
  readonly batch: number;
  readonly seq: number;
  readonly steps: number;
  readonly msPerStep: number;
  readonly tokensPerSecond: number;
  readonly peakRssMB: number;
  readonly peakGpuBuffersMB: number | null;
  readonly trainStepNodes: number;
  readonly trainStepKernels: number;
  /**
   * The train step's product flops (graph/cost.ts) over ms/step, in TFLOP/s: the rate its products would need
   * if nothing else took time, so a lower bound on what they ran at.
   */
  readonly productTflopPerSecond: number;
  /** How many row chunks the train step's loss runs in (--loss-chunk-mib). */
  readonly lossChunks: number;
  /** False with --no-sum-split (graph/ops/matmul.ts sumSplit). */
  readonly splitSums: boolean;
  readonly buildMs: number;
  readonly sessionMs: number;
  readonly losses: readonly number[];
}

/** The bench's model: a config with seeded random weights, or a model folder. */
async function benchSource(flags: { config?: string; model?: string }, seed: number): Promise<{ source: ModelSource; name: string }> {
  if ((flags.config === undefined) === (flags.model === undefined)) throw new UsageError('give one of --config <config.json> (random weights) or --model <DIR>');
  if (flags.model !== undefined) return { source: await modelDirSource(flags.model), name: flags.model };
  const path = flags.config!;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--config: cannot read ${path}${code ? ` (${code})` : ''}`);
  }
  return { source: { kind: 'random', label: path, config: parseJsonText(text, path), seed }, name: path };
}

export async function benchCommand(argv: readonly string[], log: (line: string) => void): Promise<BenchResult> {
  const flags = parseFlags(argv, {
    config: { type: 'string' },
    model: { type: 'string' },
    lora: { type: 'string' },
    batch: { type: 'string' },
    'micro-batch': { type: 'string' },
    seq: { type: 'string' },
    seed: { type: 'string' },
    'loss-chunk-mib': { type: 'string' },
    'no-sum-split': { type: 'boolean' },
    ep: { type: 'string' },
    steps: { type: 'string' },
    warmup: { type: 'string' },
    threads: { type: 'string' },
    lr: { type: 'string' },
    'ort-build': { type: 'string' },
    'graph-capture': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const lora = parseLoraFlag(flags.lora);
  const batchSize = positiveInt(flags.batch, '--batch');
  const microBatchSize = positiveInt(flags['micro-batch'], '--micro-batch', batchSize);
  const seqLen = positiveInt(flags.seq, '--seq');
  const seed = nonNegativeInt(flags.seed, '--seed', 0);
  const ep = oneOf(flags.ep, '--ep', EXECUTION_PROVIDERS);
  const steps = positiveInt(flags.steps, '--steps', 5);
  const warmup = nonNegativeInt(flags.warmup, '--warmup', 2);
  const threads = positiveInt(flags.threads, '--threads', availableParallelism());
  const lr = positiveNumber(flags.lr, '--lr', 1e-4);
  const build = oneOf(flags['ort-build'], '--ort-build', ['all', 'webgpu'], 'all');
  const graphCapture = flags['graph-capture'] ?? false;
  if (graphCapture && ep !== 'webgpu') throw new UsageError('--graph-capture: needs --ep webgpu');
  const lossChunkBytes = flags['loss-chunk-mib'] === undefined ? undefined : positiveNumber(flags['loss-chunk-mib'], '--loss-chunk-mib', 256) * 2 ** 20;
  const splitSums = !(flags['no-sum-split'] ?? false);
  const { source, name } = await benchSource(flags, seed);

  let meter: GpuMemoryMeter | null = null;
  // The meter wraps the adapter's requestDevice: installed once dawn.node's globals exist, before onnxruntime asks for its device.
  const engine = nodeEngine({ threads, webgpuBuild: build, onOrt: () => void (ep === 'webgpu' && (meter ??= GpuMemoryMeter.install())) });
  try {
    const info = await engine.load(source, { requireTokenizer: false });
    const prepared = await engine.prepareTraining({
      lora: { r: lora.r, alpha: lora.alpha, targets: lora.targets },
      batchSize,
      microBatchSize,
      seqLen,
      // The sample rows are all in the seqLen bucket; off keeps the memory estimate to the one shape measured.
      lengthBuckets: 'off',
      ep,
      graphCapture,
      wasmThreads: threads,
      seed,
      ...(lossChunkBytes === undefined ? {} : { lossChunkBytes }),
      splitSums,
    });
    const s = prepared.stats;
    const chunks = s.trainStepLossChunks;
    log(`${name}: ${info.architecture} ${info.layers} layers, weights ${info.weightDtype === 'random' ? `random (seed ${seed})` : info.weightDtype}; LoRA r=${lora.r} on ${lora.targets.join(',')}`);
    log(`ep ${ep}${ep === 'webgpu' ? ` (ort.${build}${graphCapture ? ', graph capture' : ''})` : `, ${threads} threads`}; batch ${batchSize} x ${seqLen}${prepared.microBatches > 1 ? ` in ${prepared.microBatches} micro-batches` : ''}; train step ${s.trainStepNodes} nodes, loss in ${chunks} chunk${chunks > 1 ? 's' : ''}${splitSums ? '' : ', no split sums'}; build ${s.buildMs} ms, session ${s.sessionMs} ms`);
    // The fused graph's products are one micro-batch's; a step runs as many as it has micro-batches.
    const productFlops = s.trainStepProductFlops * prepared.microBatches;
    const examples = sampleSequences({ count: batchSize, seqLen, vocabSize: info.vocabSize, seed });
    const losses: number[] = [];
    if (warmup > 0) losses.push(...(await engine.train({ examples, steps: warmup, lr, seed })).losses);
    // The engine queues steps without waiting for each loss (as the studio runs them); train resolves when the
    // last loss is back, so every step has finished.
    const start = performance.now();
    losses.push(...(await engine.train({ examples, steps, lr, seed: seed + 1 })).losses);
    const ms = (performance.now() - start) / steps;
    const m = meter as GpuMemoryMeter | null;
    const result: BenchResult = {
      ep: ep === 'webgpu' ? `webgpu (ort.${build}${graphCapture ? ', graph capture' : ''})` : ep,
      model: name,
      batch: batchSize,
      seq: seqLen,
      steps,
      ...stepFigures(ms, batchSize * seqLen, productFlops),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      peakGpuBuffersMB: m ? +(m.peakBytes / 2 ** 20).toFixed(1) : null,
      trainStepNodes: s.trainStepNodes,
      trainStepKernels: s.trainStepKernels,
      lossChunks: chunks,
      splitSums,
      buildMs: s.buildMs,
      sessionMs: s.sessionMs,
      losses: losses.map((l) => +l.toFixed(5)),
    };
    log(
      `${result.tokensPerSecond} tokens/s, ${result.msPerStep} ms/step over ${steps} steps (after ${warmup} warm-up); peak RSS ${result.peakRssMB} MB` +
        (m ? `, peak GPU buffers ${result.peakGpuBuffersMB} MB` : '') +
        `; loss ${losses[0]?.toFixed(4)} -> ${losses.at(-1)?.toFixed(4)}` +
        `; products ${decimal(productFlops, 'FLOP')} per step, ${result.productTflopPerSecond} TFLOP/s of step time`,
    );
    if (flags.json) log(JSON.stringify(result));
    return result;
  } finally {
    await engine.dispose();
  }
}
