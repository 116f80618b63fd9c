// Correctness on a real GPU: the tiny Llama, Qwen2 and Qwen3 PyTorch fixtures on onnxruntime-web's WebGPU EP in Node
// (dawn.node), through the same artifacts writer and Trainer as the studio: logits, loss and every LoRA
// gradient against expected.safetensors (float32, 1e-4 relative). Prints one JSON line per fixture and build;
// exits 1 when a bar is missed. Bundled by prepare.sh; `node verify-webgpu.mjs <path to test/fixtures>`.
import { nodeWebGpu, type WebGpuBuild } from '../../../src/engine/node/webgpu-node.ts';
import { buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import { unpackAdapter } from '../../../src/models/manifest.ts';
import { createBackend } from '../../../src/runtime/backend.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { FIXTURES, loadFixture } from '../../../test/support/fixtures.ts';
import { relativeError } from '../../../test/support/relative-error.ts';

/** Steps of the plain and the graph-captured trainer compared (capture records on one run, replays after). */
const CAPTURED_STEPS = 4;
const root = process.argv[2];
const build = (process.argv[3] ?? 'all') as WebGpuBuild;
if (root === undefined) throw new Error('usage: verify-webgpu <test/fixtures dir> [all|webgpu]');
const { ort, release } = await nodeWebGpu(build);
const backend = createBackend(ort, 'webgpu');
let failed = false;
for (const name of FIXTURES) {
  const f = loadFixture(name, root);
  const options = { config: f.config, lora: f.lora, batchSize: 2, seqLen: 8, weights: f.weights, adapter: f.adapter, withGradients: true };
  const artifacts = buildTrainingArtifacts(options);
  const trainer = await Trainer.create(backend, artifacts);
  const batch = f.batch('float32');
  const forward = await trainer.evaluate(batch, { logits: true });
  const step = await trainer.step(batch, { lr: 1e-3, readGradients: true });
  const worstGradient = async (s: typeof step, manifest: typeof artifacts.manifest) => {
    let worst = 0;
    const grads = unpackAdapter(manifest, (await s.gradients)!.get('adapter') as Float32Array);
    for (const [tensor, g] of grads) worst = Math.max(worst, relativeError(g, f.expected.float64(tensor)));
    return worst;
  };
  const plainLosses = [(await step.loss)!];
  for (let i = 1; i < CAPTURED_STEPS; i++) plainLosses.push((await (await trainer.step(batch, { lr: 1e-3 })).loss)!);
  const errors: Record<string, number> = {
    logits: relativeError(forward.logits!, f.expected.float64('logits')),
    loss: relativeError([forward.loss], f.expected.float64('loss')),
    trainStepLoss: relativeError([plainLosses[0]!], f.expected.float64('loss')),
    loraGradients: await worstGradient(step, artifacts.manifest),
  };
  await trainer.dispose();
  // The train step's loss in 3 chunks of rows ([6, 5, 5]; at this size the default is one chunk).
  const chunked = buildTrainingArtifacts({ ...options, lossChunkBytes: 6 * f.config.vocabSize * 4 });
  const chunkedTrainer = await Trainer.create(backend, chunked);
  const chunkedStep = await chunkedTrainer.step(batch, { lr: 1e-3, readGradients: true });
  errors['chunkedLoss'] = relativeError([(await chunkedStep.loss)!], f.expected.float64('loss'));
  errors['chunkedLoraGradients'] = await worstGradient(chunkedStep, chunked.manifest);
  await chunkedTrainer.dispose();
  // Graph capture: onnxruntime records the step on one run and replays it on the later ones; every step's loss
  // equals the plain trainer's.
  const captured = await Trainer.create(backend, artifacts, { graphCapture: true });
  const capturedLosses: number[] = [];
  for (let i = 0; i < CAPTURED_STEPS; i++) capturedLosses.push((await (await captured.step(batch, { lr: 1e-3 })).loss)!);
  await captured.dispose();
  errors['capturedStepLosses'] = relativeError(capturedLosses, plainLosses);
  const ok = Object.values(errors).every((e) => e < 1e-4);
  failed ||= !ok;
  console.log(JSON.stringify({ check: 'webgpu-vs-pytorch-fixture', build, fixture: name, ok, ...errors }));
}
await backend.dispose();
release();
process.exit(failed ? 1 : 0);
