// The memory estimate (src/engine/memory.ts) against the peak of GPU buffers measured on onnxruntime-web's WebGPU EP
// (JSEP, the studio's build) in Node, then the estimate for the studio's models. Run:
//
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/engine/memory.ts [--rows 0,1,..] [--steps 2]
//     [--graph-capture] [--estimates-only]
// (with LD_LIBRARY_PATH=/usr/lib/chromium where Chromium's is the only Vulkan loader). Results: bench/engine/README.md.
//
// Each measured row runs in a child process of its own (`--row N`): onnxruntime-web keeps freed GPU buffers for
// reuse for as long as its device lives, so rows measured in one process would share them. A child builds the
// artifacts (seeded random weights, weights as inputs), creates a Trainer with the meter installed (src/engine/node/gpu-memory.ts
// counts every GPUBuffer the device makes, ours included), runs `--steps` train steps and prints one JSON line.
// `--trace FILE` also writes the child's buffer creations and destructions (bytes, +/-), in order. `--from DIR` reads
// the rows' JSON lines from DIR/row<N>.json (saved children's output) instead of running them.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GpuMemoryMeter } from '../../src/engine/node/gpu-memory.ts';
import { nodeWebGpu } from '../../src/engine/node/webgpu-node.ts';
import { estimateTrainingMemory } from '../../src/engine/memory.ts';
import { buildTrainingArtifacts } from '../../src/models/artifacts.ts';
import { sampleBatch } from '../../src/models/batch.ts';
import { randomBaseWeights } from '../../src/models/init.ts';
import { createBackend } from '../../src/runtime/backend.ts';
import { Trainer } from '../../src/runtime/trainer.ts';
import { ESTIMATED_LORA, ESTIMATED_MODELS, ESTIMATED_SHAPES, MEASURED_ROWS, type MemoryRow } from './memory-rows.ts';

interface Measured {
  readonly row: number;
  readonly peakBytes: number;
  readonly afterCreateBytes: number;
  readonly losses: readonly number[];
  readonly trainStepNodes: number;
  readonly lossChunks: number;
  readonly seconds: number;
}

const MiB = 2 ** 20;
const mib = (bytes: number): string => (bytes / MiB).toFixed(2);

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function measure(index: number, steps: number, tracePath: string | undefined, graphCapture: boolean): Promise<Measured> {
  const row = MEASURED_ROWS[index];
  if (row === undefined) throw new Error(`no row ${index}`);
  const t0 = performance.now();
  const node = await nodeWebGpu('all');
  const meter = GpuMemoryMeter.install({ trace: tracePath !== undefined });
  const backend = createBackend(node.ort, 'webgpu');
  try {
    const weights = randomBaseWeights(row.config, 0);
    const artifacts = buildTrainingArtifacts({ ...setupOf(row), weights, weightsPlacement: 'inputs', seed: 0, maxGradNorm: 1 });
    const trainer = await Trainer.create(backend, artifacts, { graphCapture });
    const afterCreateBytes = meter.liveBytes;
    const batch = sampleBatch({ batchSize: row.batchSize, seqLen: row.seqLen, vocabSize: row.config.vocabSize, seed: 0 });
    const losses: number[] = [];
    try {
      for (let i = 0; i < steps; i++) losses.push(await (await trainer.step(batch, { lr: 1e-4 })).loss!);
    } finally {
      await trainer.dispose();
    }
    if (tracePath !== undefined) writeFileSync(tracePath, meter.trace!.join('\n') + '\n');
    return {
      row: index,
      peakBytes: meter.peakBytes,
      afterCreateBytes,
      losses: losses.map((l) => +l.toFixed(5)),
      trainStepNodes: artifacts.stats.trainStepNodes,
      lossChunks: artifacts.stats.trainStepLossChunks,
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
    };
  } finally {
    await backend.dispose();
    node.release();
  }
}

function setupOf(row: MemoryRow) {
  return { config: row.config, lora: row.lora, batchSize: row.batchSize, seqLen: row.seqLen, ...(row.lossChunkBytes ? { lossChunkBytes: row.lossChunkBytes } : {}) };
}

function estimateRow(row: MemoryRow, graphCapture: boolean) {
  return estimateTrainingMemory(row.config, { lora: row.lora, microBatchSize: row.batchSize, seqLen: row.seqLen, graphCapture, ...(row.lossChunkBytes ? { lossChunkBytes: row.lossChunkBytes } : {}) }, null, null);
}

function runRows(rows: readonly number[], steps: number, graphCapture: boolean, from: string | undefined): void {
  const self = fileURLToPath(import.meta.url);
  console.log(`| shape | LoRA | batch | train-step nodes | loss chunks | measured peak (MiB) | estimate (MiB) | estimate / measured | seconds |`);
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  for (const index of rows) {
    const row = MEASURED_ROWS[index]!;
    const args = ['--import', 'tsx', self, '--row', String(index), '--steps', String(steps), ...(graphCapture ? ['--graph-capture'] : [])];
    const out = from !== undefined ? readFileSync(`${from}/row${index}.json`, 'utf8') : execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const measured = JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
    const estimate = estimateRow(row, graphCapture);
    const ratio = estimate.peakBytes / measured.peakBytes;
    console.log(
      `| ${row.name} | r=${row.lora.r} ${row.lora.targets.join(',')} | ${row.batchSize} x ${row.seqLen} | ${measured.trainStepNodes} | ${measured.lossChunks} | ${mib(measured.peakBytes)} | ${mib(estimate.peakBytes)} | ${ratio.toFixed(3)} | ${measured.seconds} |`,
    );
  }
}

function estimateTables(): void {
  console.log(`| model | batch | weights (MiB) | adapter + AdamW (MiB) | activations (MiB) | peak (MiB) | largest buffer (MiB) | ms per estimate |`);
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const model of ESTIMATED_MODELS) {
    for (const shape of ESTIMATED_SHAPES) {
      const setup = { lora: ESTIMATED_LORA, microBatchSize: shape.batchSize, seqLen: shape.seqLen };
      estimateTrainingMemory(model.config, setup, null, null); // warm: the first call compiles the code paths
      const t0 = performance.now();
      const e = estimateTrainingMemory(model.config, setup, null, null);
      const ms = performance.now() - t0;
      console.log(
        `| ${model.name} | ${shape.batchSize} x ${shape.seqLen} | ${mib(e.parts.weights)} | ${mib(e.parts.adapterAndOptimizer)} | ${mib(e.parts.activations)} | ${mib(e.peakBytes)} | ${mib(e.largestBufferBytes)} | ${ms.toFixed(0)} |`,
      );
    }
  }
}

/** WebGPU's default limits (what a page gets without asking for more) and a 4 GiB budget: a laptop's GPU. */
const LAPTOP = { limits: { maxBufferSize: 256 * MiB, maxStorageBufferBindingSize: 128 * MiB }, budgetBytes: 4 * 2 ** 30 };

function laptopTable(): void {
  console.log(`| model | batch | peak (MiB) | largest buffer (MiB) | fits | advice |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const model of ESTIMATED_MODELS) {
    for (const shape of ESTIMATED_SHAPES) {
      const e = estimateTrainingMemory(model.config, { lora: ESTIMATED_LORA, microBatchSize: shape.batchSize, seqLen: shape.seqLen }, LAPTOP.limits, LAPTOP.budgetBytes);
      console.log(`| ${model.name} | ${shape.batchSize} x ${shape.seqLen} | ${mib(e.peakBytes)} | ${mib(e.largestBufferBytes)} | ${e.fits ? 'yes' : 'no'} | ${e.advice.join('; ')} |`);
    }
  }
}

const steps = Number(flag('--steps') ?? 2);
const graphCapture = process.argv.includes('--graph-capture');
const single = flag('--row');
if (single !== undefined) {
  const result = await measure(Number(single), steps, flag('--trace'), graphCapture);
  console.log(JSON.stringify(result));
  process.exit(0);
}
const rows = flag('--rows')?.split(',').map(Number) ?? MEASURED_ROWS.map((_, i) => i);
if (!process.argv.includes('--estimates-only')) runRows(rows, steps, graphCapture, flag('--from'));
console.log('');
estimateTables();
console.log('');
laptopTable();
process.exit(0);
