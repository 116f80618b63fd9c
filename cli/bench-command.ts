import { availableParallelism } from 'node:os';
import { createBackend, EXECUTION_PROVIDERS, type Backend } from '../src/runtime/backend.ts';
import { Trainer } from '../src/runtime/trainer.ts';
import { nonNegativeInt, oneOf, parseFlags, positiveInt, positiveNumber, UsageError } from './args.ts';
import { stepFigures } from './bench-figures.ts';
import { benchSetup } from './bench-setup.ts';
import { decimal } from './format.ts';
import { modelFlagOptions, parseModelFlags } from './model-flags.ts';
import { GpuMemoryMeter } from './gpu-memory.ts';
import { nodeWebGpu } from './webgpu-node.ts';

export const benchUsage = `fiat bench --config <config.json> [--weights <model.safetensors>] --lora r=8,alpha=16,targets=...
           --batch B --seq T --ep wasm|node|webgpu [--steps N] [--warmup N] [--threads N] [--lr X]
           [--weights-placement inputs|initializers] [--ort-build all|webgpu] [--graph-capture] [--seed N] [--json]
           [--loss-chunk-mib N] [--no-sum-split]
  Times LoRA train steps on one backend: tokens/s (B x T per step, padding included), ms/step, peak memory.
  --loss-chunk-mib: the train step's logits per loss chunk (default 256; fewer chunks, more memory).
  --no-sum-split: products with few GPU tiles for a long sum run whole (to measure what cutting them buys).
  --graph-capture (webgpu) replays the train step's recorded kernels (Trainer's graphCapture option).
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

export async function benchCommand(argv: readonly string[], log: (line: string) => void): Promise<BenchResult> {
  const flags = parseFlags(argv, {
    ...modelFlagOptions,
    ep: { type: 'string' },
    steps: { type: 'string' },
    warmup: { type: 'string' },
    threads: { type: 'string' },
    lr: { type: 'string' },
    'ort-build': { type: 'string' },
    'graph-capture': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const model = parseModelFlags(flags);
  const { configPath, config, lora, batchSize, seqLen } = model;
  const ep = oneOf(flags.ep, '--ep', EXECUTION_PROVIDERS);
  const steps = positiveInt(flags.steps, '--steps', 5);
  const warmup = nonNegativeInt(flags.warmup, '--warmup', 2);
  const threads = positiveInt(flags.threads, '--threads', availableParallelism());
  const lr = positiveNumber(flags.lr, '--lr', 1e-4);
  // WebGPU: weights uploaded once into GPU buffers as inputs. CPU EPs: initializers (the WASM EP would copy
  // input weights into its heap on every run).
  const placement = oneOf(flags['weights-placement'], '--weights-placement', ['inputs', 'initializers'], ep === 'webgpu' ? 'inputs' : 'initializers');
  const build = oneOf(flags['ort-build'], '--ort-build', ['all', 'webgpu'], 'all');
  const graphCapture = flags['graph-capture'] ?? false;
  if (graphCapture && ep !== 'webgpu') throw new UsageError('--graph-capture: needs --ep webgpu');

  let backend: Backend;
  let release = () => {};
  let meter: GpuMemoryMeter | null = null;
  if (ep === 'webgpu') {
    const node = await nodeWebGpu(build);
    release = node.release;
    meter = GpuMemoryMeter.install();
    backend = createBackend(node.ort, 'webgpu');
  } else if (ep === 'wasm') {
    // Imported on demand: a bundle of the CLI for a GPU machine (bench/engine/gpu) carries only the WebGPU path.
    const { onnxruntimeWeb } = await import('../src/runtime/ort.ts');
    backend = createBackend(onnxruntimeWeb, 'wasm', { wasmThreads: threads });
  } else {
    const { onnxruntimeNode } = await import('../src/runtime/node/ort-node.ts');
    backend = createBackend(onnxruntimeNode, 'node', { intraOpThreads: threads });
  }

  try {
    const { artifacts, weightsSource, buildMs, batch } = benchSetup(model, flags.weights, placement);
    const t1 = performance.now();
    const trainer = await Trainer.create(backend, artifacts, { graphCapture });
    const sessionMs = performance.now() - t1;
    const chunks = artifacts.stats.trainStepLossChunks;
    log(`${configPath}: ${config.architecture} ${config.numHiddenLayers} layers, weights ${weightsSource}; LoRA r=${lora.r} on ${lora.targets.join(',')}`);
    log(`ep ${ep}${ep === 'webgpu' ? ` (ort.${build}${graphCapture ? ', graph capture' : ''})` : `, ${threads} threads`}; batch ${batchSize} x ${seqLen}; train step ${artifacts.stats.trainStepNodes} nodes, loss in ${chunks} chunk${chunks > 1 ? 's' : ''}${model.splitSums ? '' : ', no split sums'}; build ${buildMs.toFixed(0)} ms, session ${sessionMs.toFixed(0)} ms`);
    const losses: number[] = [];
    try {
      for (let i = 0; i < warmup; i++) losses.push((await (await trainer.step(batch, { lr })).loss)!);
      // Timed steps are queued without waiting for each loss (as the studio runs them); the last loss read
      // back means every step has finished.
      const start = performance.now();
      const pending: Promise<number>[] = [];
      for (let i = 0; i < steps; i++) pending.push((await trainer.step(batch, { lr })).loss!);
      losses.push(...(await Promise.all(pending)));
      const ms = (performance.now() - start) / steps;
      const result: BenchResult = {
        ep: ep === 'webgpu' ? `webgpu (ort.${build}${graphCapture ? ', graph capture' : ''})` : ep,
        model: configPath,
        batch: batchSize,
        seq: seqLen,
        steps,
        ...stepFigures(ms, batchSize * seqLen, artifacts.stats.trainStepProductFlops),
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        peakGpuBuffersMB: meter ? +(meter.peakBytes / 2 ** 20).toFixed(1) : null,
        trainStepNodes: artifacts.stats.trainStepNodes,
        trainStepKernels: artifacts.stats.trainStepKernels,
        lossChunks: chunks,
        splitSums: model.splitSums,
        buildMs: Math.round(buildMs),
        sessionMs: Math.round(sessionMs),
        losses: losses.map((l) => +l.toFixed(5)),
      };
      log(
        `${result.tokensPerSecond} tokens/s, ${result.msPerStep} ms/step over ${steps} steps (after ${warmup} warm-up); peak RSS ${result.peakRssMB} MB` +
          (meter ? `, peak GPU buffers ${result.peakGpuBuffersMB} MB` : '') +
          `; loss ${losses[0]?.toFixed(4)} -> ${losses.at(-1)?.toFixed(4)}` +
          `; products ${decimal(artifacts.stats.trainStepProductFlops, 'FLOP')} per step, ${result.productTflopPerSecond} TFLOP/s of step time`,
      );
      if (flags.json) log(JSON.stringify(result));
      return result;
    } finally {
      await trainer.dispose();
    }
  } finally {
    await backend.dispose();
    release();
  }
}
