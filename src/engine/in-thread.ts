import { parseJsonText } from '../models/config-error.ts';
import { parseModelConfig } from '../models/config.ts';
import type { BackendProvider } from './backends.ts';
import type {
  CachedModelFile,
  CallOptions,
  ChatMessage,
  Engine,
  ExampleScore,
  GenerateProgress,
  GenerateRequest,
  GenerateResult,
  InferenceAdapter,
  InferenceOptions,
  LabelScoreRequest,
  LabelScores,
  LoadOptions,
  MemoryEstimate,
  ModelInfo,
  ModelSource,
  ModelFiles,
  PeftAdapter,
  ScoreRequest,
  SourceInspection,
  TrainExample,
  TrainingCheckpoint,
  TrainingInfo,
  TrainingSetup,
  TrainProgress,
  TrainRequest,
  TrainResult,
} from './engine.ts';
import { EngineError, throwIfCancelled } from './errors.ts';
import { asEngineError } from './error-mapping.ts';
import { loadModelFiles, loadRandomModel, type LoadedModel } from './load-model.ts';
import { clearCachedFiles, listCachedFiles, type ModelFileCache } from './sources/cache.ts';
import { openModelFiles } from './sources/open.ts';
import { ALL_WEIGHTS_NO_ADAPTER, adapterTensors, planTraining, TrainingRun } from './training-run.ts';
import { InferenceRun, type InferenceLora } from './inference-run.ts';
import { DEFAULT_SCORE_BATCH, defaultEp, labelExamples, labelScores, promptTokens, sequenceContext } from './inference-inputs.ts';
import { readPeftAdapter, writePeftAdapter } from './peft-adapter.ts';
import { checkpointAdapter } from './checkpoint.ts';
import { tunedModelFiles } from './model-export.ts';
import { isAllWeights } from '../models/trained-weights.ts';
import { toSequences } from './sequences.ts';

export interface InThreadEngineDeps {
  readonly backends: BackendProvider;
  /** The model file cache (Cache Storage in a browser, in memory or none in Node). */
  readonly cache: ModelFileCache | null;
  /** fetch for Hub and URL sources (tests pass one bound to a local server's base; default the global). */
  readonly fetch?: typeof fetch;
}

/**
 * The engine in the caller's thread: the CLI, bench and Node tests use it directly; the studio runs it inside the
 * Web Worker (worker/engine.worker.ts) behind the worker client. Calls are serialised: one load, prepare or train
 * at a time, as the GPU runs one session at a time anyway.
 */
export class InThreadEngine implements Engine {
  private model: LoadedModel | null = null;
  private run: TrainingRun | null = null;
  private inference: InferenceRun | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: InThreadEngineDeps) {}

  /** Runs calls one after another; every error leaves as an EngineError. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work).catch((error: unknown) => {
      throw asEngineError(error);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private files(source: Exclude<ModelSource, { kind: 'random' }>) {
    return openModelFiles(source, { cache: this.deps.cache, ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}) });
  }

  private loaded(): LoadedModel {
    if (!this.model) throw new EngineError('usage', 'no model is loaded');
    return this.model;
  }

  private prepared(): TrainingRun {
    if (!this.run) throw new EngineError('usage', 'no training is prepared (prepareTraining first)');
    return this.run;
  }

  inspect(source: ModelSource, options: CallOptions = {}): Promise<SourceInspection> {
    return this.exclusive(async () => {
      if (source.kind === 'random') return { label: source.label, files: [], totalBytes: 0, toDownloadBytes: 0, config: source.config };
      const files = this.files(source);
      const list = await files.list(options.signal ? { signal: options.signal } : {});
      const config = await files.read('config.json', options.signal ? { signal: options.signal } : {});
      if (config === null) throw new EngineError('config', `${files.label} has no config.json`, { file: 'config.json' });
      const sum = (all: typeof list) => (all.some((f) => f.size === null) ? null : all.reduce((s, f) => s + f.size!, 0));
      // A syntax error is a ConfigError naming the line and column (an EngineError of kind 'config' on the way out).
      const parsed = parseJsonText(new TextDecoder().decode(config), `${files.label}/config.json`);
      return { label: files.label, files: list, totalBytes: sum(list), toDownloadBytes: sum(list.filter((f) => !f.cached)), config: parsed };
    });
  }

  load(source: ModelSource, options: LoadOptions = {}): Promise<ModelInfo> {
    return this.exclusive(async () => {
      throwIfCancelled(options.signal);
      const model = source.kind === 'random' ? loadRandomModel(source) : await loadModelFiles(this.files(source), source, options);
      throwIfCancelled(options.signal);
      // Only now is the old model let go: a failed load keeps it.
      await this.disposeRun();
      this.model = model;
      return model.info;
    });
  }

  describe(): Promise<ModelInfo> {
    return this.exclusive(() => Promise.resolve(this.loaded().info));
  }

  private tokenizer() {
    const tokenizer = this.loaded().tokenizer;
    if (!tokenizer) throw new EngineError('tokenizer', `${this.loaded().info.label} has no tokenizer`);
    return tokenizer;
  }

  tokenize(text: string, options: { addSpecialTokens?: boolean } = {}): Promise<number[]> {
    return this.exclusive(() => Promise.resolve(this.tokenizer().encode(text, options)));
  }

  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): Promise<string> {
    return this.exclusive(() => Promise.resolve(this.tokenizer().decode(ids, options)));
  }

  applyChatTemplate(messages: readonly ChatMessage[], options: { addGenerationPrompt?: boolean } = {}): Promise<string> {
    return this.exclusive(() => Promise.resolve(this.tokenizer().applyChatTemplate(messages, options)));
  }

  estimateMemory(setup: TrainingSetup, options: { config?: unknown } = {}): Promise<MemoryEstimate> {
    return this.exclusive(async () => {
      const model = options.config === undefined ? this.loaded() : { config: parseModelConfig(options.config) };
      return (await planTraining(model, setup, this.deps.backends)).memory;
    });
  }

  prepareTraining(setup: TrainingSetup, options: CallOptions = {}): Promise<TrainingInfo> {
    return this.exclusive(async () => {
      const model = this.loaded();
      // The previous setup's GPU memory is released first: a laptop GPU may not hold both.
      await this.disposeRun();
      this.run = await TrainingRun.create(model, setup, this.deps.backends, options.signal);
      return this.run.info;
    });
  }

  train(request: TrainRequest, options: CallOptions & { onProgress?: (p: TrainProgress) => void } = {}): Promise<TrainResult> {
    return this.exclusive(() => this.prepared().train(request, options));
  }

  score(request: ScoreRequest, options: CallOptions = {}): Promise<ExampleScore[]> {
    return this.exclusive(async () => {
      throwIfCancelled(options.signal);
      const model = this.loaded();
      const sequences = toSequences(request.examples, sequenceContext(model, model.config.maxPositionEmbeddings));
      const inference = await this.inferenceFor(request);
      return inference.score(sequences, { batchSize: request.batchSize ?? DEFAULT_SCORE_BATCH, ...(options.signal ? { signal: options.signal } : {}) });
    });
  }

  scoreLabels(request: LabelScoreRequest, options: CallOptions = {}): Promise<LabelScores[]> {
    return Promise.resolve()
      .then(() => this.score({ ...request, examples: labelExamples(request.prompts, request.labels) }, options))
      .then((scores) => labelScores(scores, request.prompts.length, request.labels.length));
  }

  generate(request: GenerateRequest, options: CallOptions & { onProgress?: (p: GenerateProgress) => void } = {}): Promise<GenerateResult> {
    return this.exclusive(async () => {
      throwIfCancelled(options.signal);
      const model = this.loaded();
      const promptIds = promptTokens(request.prompt, model);
      const inference = await this.inferenceFor(request);
      return inference.generate(promptIds, request, options);
    });
  }

  /** The inference sessions for these options, reused while the backend and model stay; the adapter is set per call. */
  private async inferenceFor(options: InferenceOptions): Promise<InferenceRun> {
    const model = this.loaded();
    const ep = options.ep ?? this.run?.setup.ep ?? defaultEp(this.deps.backends);
    const adapter = await this.inferenceAdapter(options.adapter, model);
    if (!this.inference || !this.inference.serves(model, ep, options.wasmThreads)) {
      await this.disposeInference();
      // On the training's backend its device-resident weights are read as they are (a laptop GPU may not hold two copies).
      const run = this.run?.setup.ep === ep && (options.wasmThreads === undefined || options.wasmThreads === this.run.setup.wasmThreads) ? this.run : null;
      this.inference = await InferenceRun.open(model, this.deps.backends, { ep, ...(options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads }) }, run?.shared() ?? null);
    }
    this.inference.setAdapter(adapter);
    return this.inference;
  }

  /** The LoRA weights a call asked for, checked against the model. */
  private async inferenceAdapter(choice: InferenceAdapter | undefined, model: LoadedModel): Promise<InferenceLora | null> {
    const kind = choice?.kind ?? (this.run ? 'trained' : 'none');
    if (kind === 'none') return null;
    if (kind === 'trained') {
      const run = this.run;
      if (!run) throw new EngineError('usage', 'no training is prepared, so there is no tuned adapter to run (score with adapter none, or give a PEFT adapter)');
      return { spec: run.lora, tensors: await run.adapterWeights() };
    }
    if (choice?.kind === 'checkpoint') return checkpointAdapter(choice.checkpoint, model.config, model.info.label);
    const peft = (choice as { kind: 'peft'; adapter: PeftAdapter }).adapter;
    const read = readPeftAdapter(peft, model.config);
    return { spec: read.spec, tensors: read.tensors };
  }

  evaluate(examples: readonly TrainExample[], options: CallOptions = {}): Promise<{ loss: number; tokens: number }> {
    return this.exclusive(() => {
      throwIfCancelled(options.signal);
      return this.prepared().evaluate(examples);
    });
  }

  readAdapter(): Promise<PeftAdapter> {
    return this.exclusive(() => this.prepared().readAdapter());
  }

  readCheckpoint(): Promise<TrainingCheckpoint> {
    return this.exclusive(() => this.prepared().readCheckpoint());
  }

  checkpointAdapter(checkpoint: TrainingCheckpoint): Promise<PeftAdapter> {
    return this.exclusive(() => {
      const model = this.loaded();
      const { spec, tensors } = checkpointAdapter(checkpoint, model.config, model.info.label);
      if (isAllWeights(spec)) throw new EngineError('usage', ALL_WEIGHTS_NO_ADAPTER);
      return Promise.resolve(writePeftAdapter(tensors, model.config, spec, model.base));
    });
  }

  checkpointModel(checkpoint: TrainingCheckpoint): Promise<ModelFiles> {
    return this.exclusive(() => {
      const model = this.loaded();
      const { spec, tensors } = checkpointAdapter(checkpoint, model.config, model.info.label);
      if (!isAllWeights(spec)) throw new EngineError('usage', 'this checkpoint holds a LoRA adapter, not a whole model: export its adapter instead');
      return Promise.resolve(tunedModelFiles(model, tensors));
    });
  }

  loadAdapter(adapter: PeftAdapter): Promise<void> {
    return this.exclusive(async () => {
      const run = this.prepared();
      const setup = run.setup;
      // Checked before the prepared setup is let go: an adapter for another base or rank leaves it as it was.
      if (isAllWeights(run.lora)) throw new EngineError('usage', 'the prepared run trains all weights: a LoRA adapter cannot be loaded into it');
      adapterTensors(adapter, this.loaded(), run.lora);
      await this.disposeRun();
      this.run = await TrainingRun.create(this.loaded(), { ...setup, adapter }, this.deps.backends);
    });
  }

  listCache(): Promise<CachedModelFile[]> {
    return this.exclusive(() => (this.deps.cache ? listCachedFiles(this.deps.cache) : Promise.resolve([])));
  }

  clearCache(filter: { endpoint?: string; repo?: string; revision?: string } = {}): Promise<number> {
    return this.exclusive(() => (this.deps.cache ? clearCachedFiles(this.deps.cache, filter) : Promise.resolve(0)));
  }

  private async disposeInference(): Promise<void> {
    const inference = this.inference;
    this.inference = null;
    if (inference) await inference.dispose();
  }

  /** Inference may read the training's backend and weights, so it goes first. */
  private async disposeRun(): Promise<void> {
    await this.disposeInference();
    const run = this.run;
    this.run = null;
    if (run) await run.dispose();
  }

  dispose(): Promise<void> {
    return this.exclusive(async () => {
      await this.disposeRun();
      this.model = null;
    });
  }
}
