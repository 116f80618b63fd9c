// Runs the emitted toy LoRA train step (test/support/toy-model.ts) on onnxruntime-web's WebGPU EP in
// Node (dawn.node; SwiftShader without a GPU) with both WebGPU builds (JSEP in ort.all, the native EP
// in ort.webgpu), and compares 3 steps with onnxruntime-node (CPU): loss and updated LoRA tensors.
// It fails when ORT placed any node on the CPU EP (read from ORT's verbose log) or results differ.
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx scripts/graph-webgpu-check.ts
// Needs libvulkan1 (apt-get install -y libvulkan1). Not part of `npm test`: it needs a Vulkan driver.
import '../test/support/webgpu-shim.mjs';
import { spawnSync } from 'node:child_process';
import * as ortNode from 'onnxruntime-node';
import { Graph, type Tensor } from '../src/graph/ir.ts';
import { emitOnnx } from '../src/graph/onnx/emit.ts';
import { appendTrainStep } from '../src/graph/optim/train-step.ts';
import { relativeError } from '../test/support/grad-check.ts';
import { rng, uniform } from '../test/support/random.ts';
import { toy, toyLoss, toyTrainable, toyWeights } from '../test/support/toy-model.ts';

type Feeds = Record<string, { type: 'float32' | 'int64'; data: Float32Array | BigInt64Array; dims: number[] }>;
const size = (s: readonly number[]) => s.reduce((a, c) => a * c, 1);

const random = rng('webgpu check');
const g = new Graph('toy_train_step');
const x: Record<string, Tensor> = {
  input_ids: g.input('input_ids', 'int64', [toy.batch, toy.seq]),
  attention_mask: g.input('attention_mask', 'float32', [toy.batch, toy.seq]),
  labels: g.input('labels', 'float32', [toy.batch, toy.seq]),
  loss_mask: g.input('loss_mask', 'float32', [toy.batch, toy.seq]),
};
const feeds: Feeds = {};
const params: Tensor[] = [];
for (const [name, shape] of Object.entries(toyWeights)) {
  const data = Float32Array.from(uniform(random, size(shape), -0.5, 0.5));
  if ((toyTrainable as readonly string[]).includes(name)) {
    x[name] = g.input(name, 'float32', shape);
    params.push(x[name]);
    feeds[name] = { type: 'float32', data, dims: [...shape] };
    feeds[`${name}.adam_m`] = { type: 'float32', data: new Float32Array(data.length), dims: [...shape] };
    feeds[`${name}.adam_v`] = { type: 'float32', data: new Float32Array(data.length), dims: [...shape] };
  } else {
    x[name] = g.initializer(name, 'float32', shape, data);
  }
}
const step = appendTrainStep({ loss: toyLoss(x), params, maxGradNorm: 1 });
const model = emitOnnx(g);
const n = toy.batch * toy.seq;
const ids = Array.from({ length: n + 1 }, (_, i) => (i * 3) % toy.vocab);
feeds['input_ids'] = { type: 'int64', data: BigInt64Array.from(ids.slice(0, n), BigInt), dims: [toy.batch, toy.seq] };
feeds['labels'] = { type: 'float32', data: Float32Array.from(ids.slice(1)), dims: [toy.batch, toy.seq] };
feeds['attention_mask'] = { type: 'float32', data: Float32Array.from({ length: n }, (_, i) => (i === n - 1 ? 0 : 1)), dims: [toy.batch, toy.seq] };
feeds['loss_mask'] = { type: 'float32', data: Float32Array.from({ length: n }, (_, i) => (i >= n - 2 ? 0 : 1)), dims: [toy.batch, toy.seq] };

interface AnyOrt {
  Tensor: new (type: string, data: unknown, dims: number[]) => unknown;
  InferenceSession: { create(m: Uint8Array, o: object): Promise<{ run(f: object): Promise<Record<string, { data: unknown }>> }> };
  env: { wasm: { wasmPaths?: string; numThreads?: number }; logLevel?: string };
}

async function steps(ort: AnyOrt, options: object): Promise<Record<string, Float32Array>[]> {
  const verbose = process.env['ORT_CHECK_VERBOSE'] === '1' ? { logSeverityLevel: 0 } : {};
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', ...options, ...verbose });
  const state = { ...feeds };
  const results: Record<string, Float32Array>[] = [];
  for (let t = 1; t <= 3; t++) {
    const f: Record<string, unknown> = {};
    for (const [k, v] of Object.entries({ ...state, lr: { type: 'float32', data: Float32Array.of(0.05), dims: [] }, step: { type: 'float32', data: Float32Array.of(t), dims: [] } })) {
      f[k] = new ort.Tensor(v.type, v.data, v.dims);
    }
    const out = await session.run(f);
    const r: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(out)) r[k] = v.data as Float32Array;
    results.push(r);
    for (const s of step.state) {
      state[s.param] = { type: 'float32', data: r[s.paramOut]!, dims: feeds[s.param]!.dims };
      state[s.m] = { type: 'float32', data: r[s.mOut]!, dims: feeds[s.param]!.dims };
      state[s.v] = { type: 'float32', data: r[s.vOut]!, dims: feeds[s.param]!.dims };
    }
  }
  return results;
}

// Parent: runs each WebGPU build in a child process (ORT's native log goes to the process's stderr,
// where the node placement is read), and compares its outputs with onnxruntime-node's.
const child = process.argv[2];
if (child !== undefined) {
  const dist = `${process.cwd()}/node_modules/onnxruntime-web/dist/`;
  const ort = (await import(`${dist}ort.${child}.min.mjs`)) as AnyOrt;
  ort.env.wasm.wasmPaths = dist;
  const results = await steps(ort, { executionProviders: ['webgpu'], logSeverityLevel: 1, logVerbosityLevel: 0 });
  const plain = results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v)])));
  process.stdout.write(JSON.stringify(plain));
  process.exit(0);
}

const reference = await steps(ortNode as unknown as AnyOrt, { executionProviders: ['cpu'] });
let failed = false;
for (const build of ['all', 'webgpu']) {
  // Verbose session logging (severity 0) lists the nodes placed on each EP.
  const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, build], {
    env: { ...process.env, ORT_CHECK_VERBOSE: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) {
    console.log(`ort.${build}: child failed (${run.status})\n${run.stderr.slice(-3000)}`);
    failed = true;
    continue;
  }
  const results = JSON.parse(run.stdout) as Record<string, number[]>[];
  let worst = 0;
  results.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) worst = Math.max(worst, relativeError(v, reference[i]![k]!));
  });
  const placement = run.stderr.split('\n').filter((l) => /placed on \[|^\s*\S+ \(\S+\)$/.test(l.replace(/^.*VerifyEachNodeIsAssignedToAnEp\]/, '')) && l.includes('VerifyEachNodeIsAssignedToAnEp'));
  const onCpu = placement.some((l) => l.includes('[CPUExecutionProvider]'));
  const losses = results.map((r) => r[step.loss]![0]!.toFixed(5)).join(' ');
  console.log(`ort.${build} (WebGPU EP): losses ${losses}; worst relative difference to onnxruntime-node over 3 steps ${worst.toExponential(2)}`);
  for (const l of placement) console.log(`  ${l.replace(/^.*VerifyEachNodeIsAssignedToAnEp\]\s*/, '')}`);
  if (placement.length === 0) console.log('  (no placement lines in the log)');
  if (!(worst < 1e-3) || onCpu || placement.length === 0) failed = true;
}
process.exit(failed ? 1 : 0);
