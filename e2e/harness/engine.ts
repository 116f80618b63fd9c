// Engine harness page (e2e only): builds training artifacts of a tiny Llama in the browser and trains it through
// src/runtime on onnxruntime-web's WebGPU and WASM EPs. Exposes window.engineHarness (engine-api.ts).
import { buildTrainingArtifacts, type TrainingArtifacts } from '../../src/models/artifacts.ts';
import { sampleBatch } from '../../src/models/batch.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { randomBaseWeights } from '../../src/models/init.ts';
import { parseLoraSpec } from '../../src/models/lora.ts';
import { createBackend } from '../../src/runtime/backend.ts';
import { onnxruntimeWeb } from '../../src/runtime/ort.ts';
import { parsePlacementLog } from '../../src/runtime/placement-log.ts';
import { Trainer } from '../../src/runtime/trainer.ts';
import type { DeviceLossProbe, EngineHarness, HarnessEp } from './engine-api.ts';

// Tiny: SwiftShader runs WebGPU 50-80x slower than WASM. One layer still has every part (GQA, rotary, SwiGLU,
// tied head, LoRA on all seven projections); 512 tokens make the loss's head product for x's gradient a split sum
// (graph/ops/matmul.ts splitSumProduct: a Transpose into column blocks, a batched MatMul, a MatMul that adds them).
const config = parseModelConfig({
  architectures: ['LlamaForCausalLM'],
  vocab_size: 512,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 1,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 64,
  rope_theta: 10000,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: true,
  initializer_range: 0.2,
});
const lora = parseLoraSpec({ r: 2, alpha: 4, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] });
const shape = { batchSize: 2, seqLen: 8 };
const batch = sampleBatch({ ...shape, vocabSize: config.vocabSize, seed: 1 });
let artifacts: TrainingArtifacts | null = null;
const getArtifacts = (): TrainingArtifacts =>
  (artifacts ??= buildTrainingArtifacts({ config, lora, ...shape, weights: randomBaseWeights(config, 7), seed: 3, maxGradNorm: 1 }));

onnxruntimeWeb.env.wasm.numThreads = 1;

async function train(ep: HarnessEp, steps: number, options: { graphCapture?: boolean } = {}) {
  const a = getArtifacts();
  const backend = createBackend(onnxruntimeWeb, ep);
  const graphCapture = options.graphCapture ?? false;
  const trainer = await Trainer.create(backend, a, { graphCapture });
  try {
    const losses: Promise<number>[] = [];
    const start = performance.now();
    // PEFT's B = 0 makes step 1 move only B; a learning rate this large makes every step change every tensor.
    for (let i = 0; i < steps; i++) losses.push((await trainer.step(batch, { lr: 2e-2 })).loss!);
    const values = await Promise.all(losses);
    const msPerStep = (performance.now() - start) / steps;
    const state = await trainer.readState();
    return { ep, graphCapture, losses: values, adapter: Array.from(state.get(a.manifest.adapter.input)!), trainStepNodes: a.stats.trainStepNodes, msPerStep };
  } finally {
    await trainer.dispose();
    await backend.dispose();
  }
}

async function placement() {
  const a = getArtifacts();
  const backend = createBackend(onnxruntimeWeb, 'webgpu');
  // ORT's native log reaches the page's console; collect it while the verbose session is created.
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m].bind(console));
  for (const m of methods) console[m] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    const session = await backend.createSession(a.trainStepOnnx, { verbose: true, residentOutputs: Object.keys(a.manifest.trainStep.updates) });
    await session.release();
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
    await backend.dispose();
  }
  const parsed = parsePlacementLog(lines);
  return { nodesByProvider: parsed?.nodesByProvider ?? null, nodeNames: parsed?.nodeNames ?? null, trainStepNodes: a.stats.trainStepNodes };
}

const settle = async (p: Promise<unknown>, ms: number): Promise<DeviceLossProbe['pending']> => {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms));
  return Promise.race([
    p.then(
      () => 'resolved' as const,
      (e: unknown) => ({ name: e instanceof Error ? e.name : 'unknown', message: e instanceof Error ? e.message : String(e) }),
    ),
    timeout,
  ]);
};

async function deviceLoss(): Promise<DeviceLossProbe> {
  const backend = createBackend(onnxruntimeWeb, 'webgpu');
  const trainer = await Trainer.create(backend, getArtifacts());
  await (await trainer.step(batch, { lr: 1e-3 })).loss;
  const pending = trainer.step(batch, { lr: 1e-3 }).then((s) => s.loss);
  (await onnxruntimeWeb.env.webgpu.device).destroy();
  const result = { stepsBefore: 1, pending: await settle(pending, 20_000), later: await settle(trainer.step(batch, { lr: 1e-3 }), 20_000) };
  await trainer.dispose();
  await backend.dispose();
  return result;
}

const harness: EngineHarness = { train, placement, deviceLoss };
window.engineHarness = harness;
document.body.dataset['ready'] = 'true';
