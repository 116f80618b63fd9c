// Engine harness page (e2e only): the Engine interface as the studio will hold it, through the Web Worker client
// ('worker') and in the page ('page', the in-thread engine), on onnxruntime-web's WebGPU and WASM EPs. Exposes
// window.engineHarness (engine-api.ts).
import { browserBackends } from '../../src/engine/browser-backends.ts';
import type { Engine, ModelSource, TrainExample } from '../../src/engine/engine.ts';
import { EngineError, toEngineErrorData } from '../../src/engine/errors.ts';
import { InThreadEngine } from '../../src/engine/in-thread.ts';
import { defaultModelFileCache } from '../../src/engine/sources/cache-storage.ts';
import { createWorkerEngine } from '../../src/engine/worker/create-worker-engine.ts';
import { sampleSequences } from '../../src/models/batch.ts';
import { readSafetensors } from '../../src/models/safetensors.ts';
import { onnxruntimeWeb } from '../../src/runtime/ort.ts';
import type { DeviceLossProbe, EngineHarness, EngineHost, GenerationRun, HarnessEp, HubLoad, TrainRun } from './engine-api.ts';
import { placement } from './placement.ts';
import { TINY_LLAMA, TINY_LORA, TINY_SHAPE } from './tiny-model.ts';

let worker: Engine | null = null;
let page: Engine | null = null;
const engineOn = (host: EngineHost): Engine =>
  host === 'worker' ? (worker ??= createWorkerEngine()) : (page ??= new InThreadEngine({ backends: browserBackends, cache: defaultModelFileCache() }));

const tinyExamples: TrainExample[] = sampleSequences({ count: TINY_SHAPE.batchSize, seqLen: TINY_SHAPE.seqLen, vocabSize: TINY_LLAMA.config.vocab_size, seed: 1 });

/** The exported adapter's tensors in name order, concatenated: what two runs compare. */
function flatAdapter(weights: Uint8Array): number[] {
  const file = readSafetensors(weights);
  return [...file.tensors.keys()].sort().flatMap((name) => Array.from(file.float32(name)));
}

async function trainLoaded(engine: Engine, host: EngineHost, ep: HarnessEp, examples: readonly TrainExample[], steps: number, options: { seqLen: number; batchSize: number; microBatchSize?: number; graphCapture: boolean; lr?: number }): Promise<TrainRun> {
  const info = await engine.prepareTraining({
    lora: TINY_LORA,
    batchSize: options.batchSize,
    ...(options.microBatchSize === undefined ? {} : { microBatchSize: options.microBatchSize }),
    seqLen: options.seqLen,
    ep,
    graphCapture: options.graphCapture,
    wasmThreads: 1,
    seed: 3,
  });
  let elapsed = 0;
  // Step times in the page's clock (progress as it reaches the caller), so a worker's messaging is counted.
  const arrivals = [performance.now()];
  // PEFT's B = 0 makes step 1 move only B; a learning rate this large makes every step change every tensor.
  const { losses } = await engine.train(
    { examples, steps, lr: options.lr ?? 2e-2, seed: 0 },
    {
      onProgress: (p) => {
        elapsed = p.elapsedMs;
        arrivals.push(performance.now());
      },
    },
  );
  const stepMs = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
  const adapter = flatAdapter((await engine.readAdapter()).weights);
  return { host, ep, graphCapture: options.graphCapture, losses: [...losses], adapter, trainStepNodes: info.stats.trainStepNodes, msPerStep: elapsed / steps, stepMs };
}

const settle = async (p: Promise<unknown>, ms: number): Promise<DeviceLossProbe['pending']> => {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms));
  return Promise.race([
    p.then(
      () => 'resolved' as const,
      (e: unknown) => ({ kind: e instanceof EngineError ? e.kind : 'not an EngineError', message: e instanceof Error ? e.message : String(e) }),
    ),
    timeout,
  ]);
};

const harness: EngineHarness = {
  async train(host, ep, steps, options = {}) {
    const engine = engineOn(host);
    await engine.load(TINY_LLAMA);
    const micro = options.microBatchSize === undefined ? {} : { microBatchSize: options.microBatchSize };
    return trainLoaded(engine, host, ep, tinyExamples, steps, { ...TINY_SHAPE, ...micro, graphCapture: options.graphCapture ?? false });
  },
  async loadHub(host, model) {
    const progress: HubLoad['progress'] = [];
    const source: ModelSource = { kind: 'hub', ...model };
    const start = performance.now();
    try {
      const info = await engineOn(host).load(source, { onProgress: (p) => progress.push(p) });
      return { info, error: null, progress, ms: performance.now() - start };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return { info: null, error: toEngineErrorData(error), progress, ms: performance.now() - start };
    }
  },
  async tokenize(host, texts, addSpecialTokens) {
    const engine = engineOn(host);
    return Promise.all(texts.map((t) => engine.tokenize(t, { addSpecialTokens })));
  },
  applyChatTemplate: (host, messages, addGenerationPrompt) => engineOn(host).applyChatTemplate(messages, { addGenerationPrompt }),
  trainText: (host, ep, examples, steps, seqLen, options = {}) => trainLoaded(engineOn(host), host, ep, examples, steps, { seqLen, batchSize: 2, graphCapture: false, ...options }),
  describe: (host) => engineOn(host).describe(),
  listCache: (host) => engineOn(host).listCache(),
  clearCache: (host) => engineOn(host).clearCache(),
  async generate(host, request, options = {}) {
    const progress: GenerationRun['progress'] = [];
    const controller = new AbortController();
    const limit = options.cancelAfterTokens;
    const onProgress = (p: GenerationRun['progress'][number]) => {
      progress.push(p);
      if (limit !== undefined && p.generated >= limit) controller.abort();
    };
    try {
      const result = await engineOn(host).generate(request, { signal: controller.signal, onProgress });
      return { result, error: null, progress: [...progress] };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return { result: null, error: toEngineErrorData(error), progress: [...progress] };
    }
  },
  score: (host, request) => engineOn(host).score(request),
  scoreLabels: (host, request) => engineOn(host).scoreLabels(request),
  placement,
  async deviceLoss() {
    // In the page: the device is destroyed from here, which a worker's device cannot be.
    const engine = engineOn('page');
    await engine.load(TINY_LLAMA);
    await engine.prepareTraining({ lora: TINY_LORA, ...TINY_SHAPE, ep: 'webgpu', graphCapture: false, seed: 3 });
    await engine.train({ examples: tinyExamples, steps: 1, lr: 1e-3 });
    const pending = engine.train({ examples: tinyExamples, steps: 1, lr: 1e-3 });
    (await onnxruntimeWeb.env.webgpu.device).destroy();
    const result = { stepsBefore: 1, pending: await settle(pending, 20_000), later: await settle(engine.train({ examples: tinyExamples, steps: 1, lr: 1e-3 }), 20_000) };
    await engine.dispose();
    return result;
  },
};
window.engineHarness = harness;
document.body.dataset['ready'] = 'true';
