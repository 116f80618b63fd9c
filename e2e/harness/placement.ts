// A check of runtime/, not a client of the engine: where onnxruntime-web places each node of a train step, read
// from its verbose session log (the engine creates its sessions without that log). Builds the same tiny model's
// artifacts the engine checks train.
import { buildTrainingArtifacts } from '../../src/models/artifacts.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { randomBaseWeights } from '../../src/models/init.ts';
import { parseLoraSpec } from '../../src/models/lora.ts';
import { createBackend } from '../../src/runtime/backend.ts';
import { onnxruntimeWeb } from '../../src/runtime/ort.ts';
import { parsePlacementLog } from '../../src/runtime/placement-log.ts';
import type { PlacementProbe } from './engine-api.ts';
import { TINY_LLAMA, TINY_LORA, TINY_SHAPE } from './tiny-model.ts';

export async function placement(): Promise<PlacementProbe> {
  const config = parseModelConfig(TINY_LLAMA.config);
  const artifacts = buildTrainingArtifacts({
    config,
    lora: parseLoraSpec(TINY_LORA),
    ...TINY_SHAPE,
    weights: randomBaseWeights(config, TINY_LLAMA.seed),
    seed: 3,
    maxGradNorm: 1,
  });
  const backend = createBackend(onnxruntimeWeb, 'webgpu');
  // ORT's native log reaches the page's console; collect it while the verbose session is created.
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m].bind(console));
  for (const m of methods) console[m] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    const session = await backend.createSession(artifacts.trainStepOnnx, { verbose: true, residentOutputs: Object.keys(artifacts.manifest.trainStep.updates) });
    await session.release();
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
    await backend.dispose();
  }
  const parsed = parsePlacementLog(lines);
  return { nodesByProvider: parsed?.nodesByProvider ?? null, nodeNames: parsed?.nodeNames ?? null, trainStepNodes: artifacts.stats.trainStepNodes };
}
