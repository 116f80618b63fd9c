// Where the GPU time of one train step goes: onnxruntime-web's JSEP build (ort.all, the studio's) with its
// kernel profiling (timestamp queries, `env.webgpu.profiling.ondata`) on for one step after warm-up. Prints JSON
// lines: the totals, GPU time per op type, and the most expensive kernels by op type and input shapes, each with
// the rate it ran at (TFLOP/s for MatMuls, GB/s of inputs read for all).
// Bundled by prepare.sh; on the device: `node profile-webgpu.mjs <config.json> <batch> <seq> [top]`.
// Kernels are timed one pass at a time ("at-passes" when the adapter lacks timestamps inside passes), so the
// profiled step is slower than a timed one; the per-op shares are what this is for.
import { readFileSync } from 'node:fs';
import type { Engine } from '../../../src/engine/engine.ts';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import { broadcastShapes, sizeOf } from '../../../src/graph/shape.ts';
import { sampleSequences } from '../../../src/models/batch.ts';
import type { OrtModule } from '../../../src/runtime/ort.ts';

interface KernelRecord {
  readonly kernelType: string;
  readonly programName: string;
  readonly inputsMetadata: readonly { dims: readonly number[] }[];
  readonly startTime: number;
  readonly endTime: number;
}

const [configPath, batchArg, seqArg, topArg] = process.argv.slice(2);
if (configPath === undefined || batchArg === undefined || seqArg === undefined) throw new Error('usage: profile-webgpu <config.json> <batch> <seq> [top]');
const top = Number(topArg ?? 30);
const batchSize = Number(batchArg);
const seqLen = Number(seqArg);
// The model (random weights, seed 0), LoRA and sample batch as `fiat bench --ep webgpu` makes them, through the engine.
let ort: OrtModule | null = null;
const engine: Engine = nodeEngine({ webgpuBuild: 'all', onOrt: (module) => (ort = module) });
const info = await engine.load({ kind: 'random', label: configPath, config: JSON.parse(readFileSync(configPath, 'utf8')) as unknown, seed: 0 });
const prepared = await engine.prepareTraining({ lora: { r: 8, alpha: 16, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] }, batchSize, seqLen, ep: 'webgpu', graphCapture: false, seed: 0 });
const examples = sampleSequences({ count: batchSize, seqLen, vocabSize: info.vocabSize, seed: 0 });
const step = () => engine.train({ examples, steps: 1, lr: 1e-4 });

await engine.train({ examples, steps: 2, lr: 1e-4 });
const t0 = performance.now();
await step();
const unprofiledMs = performance.now() - t0;

const records: KernelRecord[] = [];
const webgpuEnv = (ort as OrtModule | null)!.env.webgpu as unknown as { profiling: { mode: string; ondata?: (r: KernelRecord) => void } };
webgpuEnv.profiling = { mode: 'default', ondata: (r) => records.push(r) };
const t1 = performance.now();
await step();
const profiledMs = performance.now() - t1;
webgpuEnv.profiling = { mode: 'off' };
// The last query buffers are read back asynchronously: one more (unprofiled) step lets them land.
await step();

const ms = (r: KernelRecord) => (r.endTime - r.startTime) / 1e6;
const totalGpuMs = records.reduce((s, r) => s + ms(r), 0);
function table(key: (r: KernelRecord) => string) {
  const rows = new Map<string, { ms: number; records: KernelRecord[] }>();
  for (const r of records) {
    const k = key(r);
    const row = rows.get(k) ?? { ms: 0, records: [] };
    row.ms += ms(r);
    row.records.push(r);
    rows.set(k, row);
  }
  return [...rows]
    .map(([k, v]) => ({ key: k, ms: +v.ms.toFixed(2), share: +(v.ms / totalGpuMs).toFixed(4), count: v.records.length, ...rates(v.records, v.ms) }))
    .sort((a, b) => b.ms - a.ms);
}
const shapes = (r: KernelRecord) => r.inputsMetadata.map((m) => `[${m.dims.join(',')}]`).join(' ');
/** A MatMul's flops from its input shapes: 2 M N K per product over the broadcast batch (Gemm's transposes are not in the records). */
function matmulFlops(r: KernelRecord): number | null {
  const [a, b] = r.inputsMetadata.map((m) => m.dims);
  if (r.kernelType !== 'MatMul' || a === undefined || b === undefined || a.length < 2 || b.length < 2) return null;
  const batch = sizeOf(broadcastShapes(a.slice(0, -2), b.slice(0, -2), 'MatMul batch'));
  return 2 * batch * a.at(-2)! * b.at(-1)! * a.at(-1)!;
}
/** What a row of kernels ran at: TFLOP/s for MatMuls, and GB/s of the inputs read (outputs are not in the records). */
function rates(rows: readonly KernelRecord[], ms: number): { tflopPerSecond?: number; inputGBPerSecond?: number } {
  if (!(ms > 0)) return {}; // too short for the timestamps' resolution
  const inputBytes = rows.reduce((s, r) => s + 4 * r.inputsMetadata.reduce((t, m) => t + sizeOf(m.dims), 0), 0);
  const flops = rows.map(matmulFlops);
  const total = flops.reduce<number | null>((sum, f) => (sum === null || f === null ? null : sum + f), 0);
  const product = total === null ? {} : { tflopPerSecond: +(total / ms / 1e9).toPrecision(3) };
  return { ...product, inputGBPerSecond: +(inputBytes / ms / 1e6).toPrecision(3) };
}
console.log(JSON.stringify({ profile: 'totals', config: configPath, batch: batchSize, seq: seqLen, kernels: records.length, graphKernels: prepared.stats.trainStepKernels, productFlops: prepared.stats.trainStepProductFlops, totalGpuMs: +totalGpuMs.toFixed(1), unprofiledStepMs: +unprofiledMs.toFixed(1), profiledStepMs: +profiledMs.toFixed(1) }));
for (const row of table((r) => r.kernelType)) console.log(JSON.stringify({ profile: 'op', ...row }));
for (const row of table((r) => `${r.kernelType}|${r.programName}|${shapes(r)}`).slice(0, top)) console.log(JSON.stringify({ profile: 'kernel', ...row }));

await engine.dispose();
process.exit(0);
