// Runs the emitted toy LoRA train step (test/support/toy-model.ts) on onnxruntime-web's WebGPU EP in
// Node (dawn.node; SwiftShader without a GPU) with both WebGPU builds (JSEP in ort.all, the native EP
// in ort.webgpu), and compares 3 steps with onnxruntime-node (CPU): loss and updated LoRA tensors.
// It fails when ORT placed any node on the CPU EP (read from ORT's verbose log) or results differ.
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx scripts/graph-webgpu-check.ts
// Needs libvulkan1 (apt-get install -y libvulkan1). Not part of `npm test`: it needs a Vulkan driver.
//
// Kept next to `npm run check:engine-webgpu` (bench/engine/gpu/verify-webgpu.ts), which checks other things:
// that one runs the tiny PyTorch fixtures through models/ and runtime/ (artifacts writer, Trainer) on one
// build and compares one step with PyTorch; it reads no placement and steps AdamW once. This one needs only
// graph/, runs both builds, reads where ORT put every node, and feeds AdamW's state back for 3 steps. The
// browser's side of the same questions (JSEP build in Chromium) is e2e/engine.spec.ts.
import { spawnSync } from 'node:child_process';
import * as ortNode from 'onnxruntime-node';
import { nodeWebGpu, type WebGpuBuild } from '../src/engine/node/webgpu-node.ts';
import { parsePlacementLog } from '../src/runtime/placement-log.ts';
import { relativeError } from '../test/support/relative-error.ts';
import type { HostTensor } from '../test/support/ort-backends.ts';
import { buildToyTrainStep } from '../test/support/toy-model.ts';

const { model, step, feeds } = buildToyTrainStep({ seed: 'webgpu check', maxGradNorm: 1 });
const scalar = (value: number): HostTensor => ({ dtype: 'float32', shape: [], data: Float32Array.of(value) });

// What both onnxruntime-node and the browser builds of onnxruntime-web offer, as far as this script uses it.
interface AnyOrt {
  Tensor: new (type: string, data: unknown, dims: number[]) => unknown;
  InferenceSession: { create(m: Uint8Array, o: object): Promise<{ run(f: object): Promise<Record<string, { data: unknown }>> }> };
}

async function steps(ort: AnyOrt, options: object): Promise<Record<string, Float32Array>[]> {
  const verbose = process.env['ORT_CHECK_VERBOSE'] === '1' ? { logSeverityLevel: 0 } : {};
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', ...options, ...verbose });
  const state = { ...feeds };
  const results: Record<string, Float32Array>[] = [];
  for (let t = 1; t <= 3; t++) {
    const f: Record<string, unknown> = {};
    for (const [k, v] of Object.entries({ ...state, lr: scalar(0.05), step: scalar(t) })) f[k] = new ort.Tensor(v.dtype, v.data, [...v.shape]);
    const out = await session.run(f);
    const r: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(out)) r[k] = v.data as Float32Array;
    results.push(r);
    for (const s of step.state) {
      const { shape } = feeds[s.param]!;
      state[s.param] = { dtype: 'float32', shape, data: r[s.paramOut]! };
      state[s.m] = { dtype: 'float32', shape, data: r[s.mOut]! };
      state[s.v] = { dtype: 'float32', shape, data: r[s.vOut]! };
    }
  }
  return results;
}

// Parent: runs each WebGPU build in a child process (ORT's native log goes to the process's stderr,
// where the node placement is read), and compares its outputs with onnxruntime-node's.
const child = process.argv[2] as WebGpuBuild | undefined;
if (child !== undefined) {
  const { ort } = await nodeWebGpu(child);
  const results = await steps(ort, { executionProviders: ['webgpu'], logSeverityLevel: 1, logVerbosityLevel: 0 });
  const plain = results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v)])));
  process.stdout.write(JSON.stringify(plain));
  process.exit(0);
}

const reference = await steps(ortNode, { executionProviders: ['cpu'] });
let failed = false;
for (const build of ['all', 'webgpu'] satisfies WebGpuBuild[]) {
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
  const placement = parsePlacementLog([run.stderr]);
  const onCpu = placement?.nodeNames['CPUExecutionProvider'] ?? [];
  const losses = results.map((r) => r[step.loss]![0]!.toFixed(5)).join(' ');
  console.log(`ort.${build} (WebGPU EP): losses ${losses}; worst relative difference to onnxruntime-node over 3 steps ${worst.toExponential(2)}`);
  if (placement === null) console.log('  (no placement lines in the log)');
  for (const [provider, count] of Object.entries(placement?.nodesByProvider ?? {})) {
    console.log(`  ${count} nodes placed on [${provider}]${provider === 'CPUExecutionProvider' ? `: ${onCpu.join(', ')}` : ''}`);
  }
  const cpuNodes = placement?.nodesByProvider['CPUExecutionProvider'] ?? 0;
  if (!(worst < 1e-3) || cpuNodes > 0 || placement === null) failed = true;
}
process.exit(failed ? 1 : 0);
