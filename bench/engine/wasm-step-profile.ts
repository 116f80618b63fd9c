// Where a CPU train step's time goes, on onnxruntime-web's WASM EP and onnxruntime-node's CPU EP, run by hand:
//
//   npx tsx bench/engine/wasm-step-profile.ts [--config bench/engine/configs/tiny-llama.json] [--batch 4] [--seq 64]
//     [--threads 2] [--steps 10] [--eps wasm,node] [--ops] [--opt all|extended|basic|disabled] [--spin 0|1]
//
// The train step as the engine builds it for the CPU EPs (weights as initializers, seeded random weights, LoRA r=8 on
// the seven projections), one session per EP, then per EP:
//   run      session.run alone, with feeds made once: the step's kernels plus the copies of its inputs into the
//            WASM heap and of its outputs out of it
//   trainer  Trainer.step as the engine queues it (the feeds of the previous step's outputs, the loss read back)
//   chained  session.run with each run's updated state fed to the next (as the Trainer does), then `run` again
// each as wall ms/step and the process's CPU ms/step (user + system, all threads: less sensitive than the wall clock
// to other people's load on a shared machine, but spinning thread pools count). --ops also writes onnxruntime-node's
// profile and prints the op types by their share of its kernel time (the WASM EP runs the same kernels, built for
// WebAssembly). --opt sets the graph optimisation level, --spin onnxruntime's intra_op.allow_spinning. V8's flags go
// through `node --import` of a module calling v8.setFlagsFromString (e.g. '--no-liftoff': README, "Train step").
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { parseFlags, positiveInt } from '../../cli/args.ts';
import { buildTrainingArtifacts } from '../../src/models/artifacts.ts';
import { sampleBatch } from '../../src/models/batch.ts';
import { parseModelConfigText } from '../../src/models/config.ts';
import { randomBaseWeights } from '../../src/models/init.ts';
import { parseLoraSpec } from '../../src/models/lora.ts';
import { baseOptions, createBackend, type ExecutionProvider } from '../../src/runtime/backend.ts';
import { onnxruntimeNode } from '../../src/runtime/node/ort-node.ts';
import { onnxruntimeWeb, type OrtModule, type OrtTensor } from '../../src/runtime/ort.ts';
import { Trainer } from '../../src/runtime/trainer.ts';

const flags = parseFlags(process.argv.slice(2), {
  config: { type: 'string' },
  batch: { type: 'string' },
  seq: { type: 'string' },
  threads: { type: 'string' },
  steps: { type: 'string' },
  eps: { type: 'string' },
  ops: { type: 'boolean' },
  opt: { type: 'string' },
  spin: { type: 'string' },
});
const configPath = flags.config ?? 'bench/engine/configs/tiny-llama.json';
const batchSize = positiveInt(flags.batch, '--batch', 4);
const seqLen = positiveInt(flags.seq, '--seq', 64);
const threads = positiveInt(flags.threads, '--threads', Math.min(2, availableParallelism()));
const steps = positiveInt(flags.steps, '--steps', 10);
const eps = (flags.eps ?? 'wasm,node').split(',') as ExecutionProvider[];

const config = parseModelConfigText(readFileSync(configPath, 'utf8'), configPath);
const lora = parseLoraSpec({ r: 8, alpha: 16, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] });
const artifacts = buildTrainingArtifacts({ config, lora, batchSize, seqLen, weights: randomBaseWeights(config, 0), weightsPlacement: 'initializers', backwardWeights: 'per-step' });
const batch = sampleBatch({ batchSize, seqLen, vocabSize: config.vocabSize, seed: 0 });
console.log(`${configPath}: batch ${batchSize} x ${seqLen}, ${threads} threads, ${artifacts.stats.trainStepNodes} nodes, ${steps} steps`);

/** Wall and CPU ms per call of `body`, over `steps` calls after one untimed call. */
async function timed(body: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  await body();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await body();
  const wall = (performance.now() - t0) / steps;
  const used = process.cpuUsage(cpu0);
  return { wall, cpu: (used.user + used.system) / 1000 / steps };
}

const show = (x: { wall: number; cpu: number }) => `${x.wall.toFixed(1)} ms wall, ${x.cpu.toFixed(1)} ms CPU`;

for (const ep of eps) {
  const ort: OrtModule = ep === 'node' ? onnxruntimeNode : onnxruntimeWeb;
  const backend = createBackend(ort, ep, ep === 'wasm' ? { wasmThreads: threads } : { intraOpThreads: threads });
  const m = artifacts.manifest.trainStep;
  const profilePrefix = `${tmpdir()}/fiat-step-profile-${process.pid}`;
  const base = baseOptions(ep, flags.opt ? { optimization: flags.opt as 'all' } : {}, ep === 'wasm' ? { wasmThreads: threads } : { intraOpThreads: threads });
  if (flags.spin !== undefined) base.extra = { ...base.extra, session: { 'intra_op.allow_spinning': flags.spin } };
  const options = { ...base, ...(flags.ops && ep === 'node' ? { enableProfiling: true, profileFilePrefix: profilePrefix } : {}) };
  const session = await ort.InferenceSession.create(artifacts.trainStepOnnx, options);
  const feeds: Record<string, OrtTensor> = {
    input_ids: backend.host({ dtype: 'int64', shape: [batchSize, seqLen], data: batch.input_ids }),
    attention_mask: backend.host({ dtype: 'float32', shape: [batchSize, seqLen], data: batch.attention_mask }),
    labels: backend.host({ dtype: 'float32', shape: [batchSize, seqLen], data: batch.labels }),
    loss_mask: backend.host({ dtype: 'float32', shape: [batchSize, seqLen], data: batch.loss_mask }),
    [m.lr]: backend.host({ dtype: 'float32', shape: [], data: new Float32Array([1e-4]) }),
    [m.step]: backend.host({ dtype: 'float32', shape: [], data: new Float32Array([1]) }),
  };
  for (const [name, data] of artifacts.state) {
    const s = [...m.trainable, ...m.optimizerState].find((t) => t.name === name)!;
    feeds[name] = backend.host({ dtype: 'float32', shape: s.shape, data: data });
  }
  const run = await timed(async () => {
    const out = await session.run(feeds);
    for (const t of Object.values(out)) t.dispose();
  });
  console.log(`${ep} run:     ${show(run)}`);
  const fed = { ...feeds };
  const chained = await timed(async () => {
    const out = await session.run(fed);
    for (const [output, input] of Object.entries(m.updates)) fed[input] = out[output]!;
  });
  console.log(`${ep} chained: ${show(chained)}`);
  const again = await timed(async () => {
    const out = await session.run(feeds);
    for (const t of Object.values(out)) t.dispose();
  });
  console.log(`${ep} run again: ${show(again)}`);
  if (flags.ops && ep === 'node') {
    session.endProfiling();
    // onnxruntime-node names the file <prefix>_<date>.json.
    const file = readdirSync(tmpdir()).map((f) => `${tmpdir()}/${f}`).find((f) => f.startsWith(profilePrefix))!;
    const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
    rmSync(file);
    const byOp = new Map<string, number>();
    let total = 0;
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const op = e.args?.op_name ?? '?';
      byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
      total += e.dur;
    }
    for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${op.padEnd(22)} ${((100 * us) / total).toFixed(1)}%`);
  }
  await session.release();

  const trainer = await Trainer.create(backend, artifacts);
  const step = await timed(async () => (await trainer.step(batch, { lr: 1e-4 })).loss);
  console.log(`${ep} trainer: ${show(step)}`);
  await trainer.dispose();
}
process.exit(0);
