import type { ExecutionProvider } from '../runtime/backend-contract.ts';
import type { EngineErrorKind } from './errors.ts';

/**
 * The front door to the small model (DESIGN.md, "Layers": engine/). Every client of the small model (the studio's
 * worker client, the CLI, bench/, the e2e harness) holds an `Engine` and nothing below it. Two implementations of
 * this one interface: in-thread (`in-thread.ts`: Node, and inside the worker) and the Web Worker client
 * (`worker/client.ts`), so a caller does not care where the engine runs (web-llm's pattern).
 *
 * Everything that crosses the interface is structured-clonable data (no classes, no functions other than the
 * `onProgress` callbacks, which the worker client turns into progress messages), so the worker protocol is the
 * interface's methods, one request per call. Errors are `EngineError`s with a kind (errors.ts); a failed `load`
 * keeps the model loaded before it; `prepareTraining` releases the previous setup first (a laptop GPU may not hold
 * two), so after a failed one no training is prepared.
 */

/** Where a model's files come from. Each source yields the Hub's file layout: config.json, tokenizer.json, ... */
export type ModelSource =
  | {
      readonly kind: 'hub';
      /** "owner/name". */
      readonly repo: string;
      /** A branch, tag or commit; "main" by default in the UI. */
      readonly revision: string;
      /** The Hub's base URL, e.g. "https://huggingface.co" (a mirror or a test server on 127.0.0.1 works the same). */
      readonly endpoint: string;
      /** For gated or private repos; sent only as `Authorization: Bearer` to the endpoint, never stored by the engine. */
      readonly token?: string;
    }
  /** Local files (a folder picker, drag and drop; in Node, files on disk): the same names as on the Hub. */
  | { readonly kind: 'files'; readonly label: string; readonly files: readonly NamedBlob[] }
  /** Static files under a URL (the offline demo model in public/models/demo/), fetched without Hub semantics. */
  | { readonly kind: 'url'; readonly label: string; readonly baseUrl: string }
  /**
   * A config with seeded random weights (HF's init) and no tokenizer: benchmarks and tests of shapes that have no
   * checkpoint. `config` is config.json's object.
   */
  | { readonly kind: 'random'; readonly label: string; readonly config: unknown; readonly seed: number };

/** A file by its name in the model's layout ("model-00001-of-00002.safetensors"). `File` is one. */
export interface NamedBlob {
  readonly name: string;
  readonly blob: Blob;
}

export interface ModelFileInfo {
  readonly name: string;
  /** Bytes, known before download (HEAD, the shard index, a File's size); null where the server does not say. */
  readonly size: number | null;
  /** Whether it is already in the browser's model cache (Hub sources). */
  readonly cached: boolean;
}

/** What `inspect` finds before anything large is downloaded. */
export interface SourceInspection {
  readonly label: string;
  readonly files: readonly ModelFileInfo[];
  /** Sum of the sizes of the files `load` would read (weights included); null if any size is unknown. */
  readonly totalBytes: number | null;
  /** Bytes of those not yet cached. */
  readonly toDownloadBytes: number | null;
  /** config.json's object (it is small and read first), so the UI can estimate memory before the download. */
  readonly config: unknown;
}

export interface LoadProgress {
  readonly phase: 'download' | 'weights' | 'tokenizer';
  /** The file being read or downloaded. */
  readonly file: string;
  readonly loadedBytes: number;
  /** Bytes of all files of this load; null when unknown. */
  readonly totalBytes: number | null;
  /** True when the file came from the cache (no request). */
  readonly fromCache: boolean;
}

export type WeightDtype = 'F32' | 'F16' | 'BF16' | 'random';

/** What `describe` says about the loaded model. */
export interface ModelInfo {
  readonly label: string;
  readonly source: ModelSource['kind'];
  /** What an adapter tuned on it names as its base (PEFT's base_model_name_or_path and revision): a Hub repo id and revision, else the label with no revision. */
  readonly base: { readonly name: string; readonly revision: string | null };
  readonly architecture: string;
  /** Base parameters (embeddings counted once when tied). */
  readonly parameters: number;
  readonly hiddenSize: number;
  readonly layers: number;
  readonly contextLength: number;
  readonly vocabSize: number;
  readonly weightDtype: WeightDtype;
  /** Bytes of the checkpoint as stored (0 for random weights). */
  readonly weightBytes: number;
  /** True for 'random' sources and for the demo model, whose weights are random: the UI says so. */
  readonly randomWeights: boolean;
  readonly hasTokenizer: boolean;
  readonly hasChatTemplate: boolean;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number | null;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** LoRA as PEFT's LoraConfig names it; targets are q, k, v, o, gate, up, down. */
export interface LoraSettings {
  readonly r: number;
  readonly alpha: number;
  readonly targets: readonly string[];
}

/** The shapes and options of a training run, fixed when its artifacts are built. */
export interface TrainingSetup {
  readonly lora: LoraSettings;
  /**
   * Train every weight of the model (full fine-tuning: the paper's ablation without parameter-efficient tuning)
   * instead of a LoRA adapter: `lora` and `adapter` are then not read. The trained vector holds every checkpoint
   * tensor, so checkpoints hold the whole model and its AdamW moments (three times its float32 size); inference
   * with the 'trained' or a 'checkpoint' adapter runs those weights. Default false.
   */
  readonly allWeights?: boolean;
  /** Examples per optimizer step. */
  readonly batchSize: number;
  /** Examples per forward/backward pass (gradients accumulate over batchSize / microBatchSize passes); default batchSize. */
  readonly microBatchSize?: number;
  readonly seqLen: number;
  /**
   * Length buckets: each micro-batch is padded to the smallest of these lengths that holds its longest example
   * (seqLen is always one), not to seqLen, so little of a step is padding; the updates are those of batches padded
   * to seqLen (padding carries no loss), and the data order is the same. Each bucket a batch falls in gets its own
   * train-step (or accumulate) session at its first batch; with graph capture each keeps its buffers allocated (the
   * memory estimate counts every bucket). 'off': every batch padded to seqLen. Default, the engine's choice
   * (TrainingInfo.lengthBuckets says which): 64, 128, 256, ... below seqLen, then seqLen; off where that would not
   * fit the memory, or on a CPU EP where each bucket's sessions would hold another copy of large weights.
   */
  readonly lengthBuckets?: readonly number[] | 'off';
  readonly ep: ExecutionProvider;
  /** WebGPU only; default true there. */
  readonly graphCapture?: boolean;
  /** WASM EP threads. */
  readonly wasmThreads?: number;
  /** Seed of the LoRA init (and of the data order in `train`). Default 0. */
  readonly seed?: number;
  /** clip_grad_norm_ max norm, null for none. Default 1. */
  readonly maxGradNorm?: number | null;
  readonly weightDecay?: number;
  /** Bytes of GPU memory the user allows; the estimate is checked against it and the device's limits. */
  readonly memoryBudgetBytes?: number;
  /** Start from this adapter instead of PEFT's init (continue tuning an imported one). */
  readonly adapter?: PeftAdapter;
  /**
   * Resume a run: its adapter, AdamW moments and step count (`readCheckpoint` of a setup with the same LoRA settings
   * on the same model). The next `train` continues at step checkpoint.step + 1, with the data order and learning
   * rate of that step, so a resumed run makes the updates the uninterrupted one makes. Takes precedence over `adapter`.
   */
  readonly checkpoint?: TrainingCheckpoint;
  /** Advanced, for benchmarks: the train step's loss chunk bytes and whether long sums are split. */
  readonly lossChunkBytes?: number;
  readonly splitSums?: boolean;
}

/** GPU limits the memory estimate is checked against (GPUSupportedLimits' names). */
export interface DeviceLimits {
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
}

export interface MemoryEstimate {
  /** Estimated peak bytes of GPU buffers during a train step. */
  readonly peakBytes: number;
  readonly parts: {
    readonly weights: number;
    readonly adapterAndOptimizer: number;
    readonly activations: number;
  };
  /** The largest single buffer (checked against maxBufferSize / maxStorageBufferBindingSize). */
  readonly largestBufferBytes: number;
  readonly limits: DeviceLimits | null;
  readonly budgetBytes: number | null;
  readonly fits: boolean;
  /** When it does not fit: what to change, in the user's words ("micro-batch 2 instead of 4", "sequence length 256"). */
  readonly advice: readonly string[];
}

export interface TrainingInfo {
  readonly memory: MemoryEstimate;
  readonly trainableParameters: number;
  /** Optimizer steps done so far (an imported adapter starts at 0). */
  readonly step: number;
  readonly microBatches: number;
  /** The length buckets in use, ascending, seqLen the last ([seqLen] when off). */
  readonly lengthBuckets: readonly number[];
  /** For benchmarks and diagnostics: the train step's size and work (models/artifacts.ts stats), and build times. */
  readonly stats: {
    readonly trainStepNodes: number;
    readonly trainStepKernels: number;
    readonly trainStepProductFlops: number;
    readonly trainStepLossChunks: number;
    /** Building the artifacts (graphs + initial state). */
    readonly buildMs: number;
    /** Creating the sessions and uploading weights and state. */
    readonly sessionMs: number;
  };
}

/** One example: text (tokenized by the loaded tokenizer, EOS appended to the completion) or tokens. */
export type TrainExample =
  | { readonly prompt: string; readonly completion: string }
  | { readonly tokens: readonly number[]; readonly promptLength: number };

export interface LrSchedule {
  readonly peak: number;
  readonly warmupSteps?: number;
  /** After warm-up: constant, linear to 0 at the last step, or cosine to 0 (transformers' schedulers). */
  readonly decay?: 'constant' | 'linear' | 'cosine';
}

export interface TrainRequest {
  /** The training set; each optimizer step takes the next batchSize examples of a seeded shuffle (a new one each epoch). */
  readonly examples: readonly TrainExample[];
  /**
   * Optimizer steps to run now. They continue the setup's count: after k steps (earlier calls, or a checkpoint) this
   * call runs steps k + 1 .. k + steps, each with its own step's batch of the data order and its learning rate, so a
   * run made of several calls (evaluation, pause and resume between them) makes the updates one call would.
   */
  readonly steps: number;
  readonly lr: number | LrSchedule;
  /** The run's whole length, for the schedule's decay; default the steps done before plus `steps`. */
  readonly totalSteps?: number;
  /** Seed of the data order; default the setup's seed. Keep it the same across the calls of one run. */
  readonly seed?: number;
}

export interface TrainProgress {
  /** The 1-based step just done, counted over the whole run (see TrainRequest.steps), of `steps`. */
  readonly step: number;
  /** The run's length (TrainRequest.totalSteps, or the steps done before plus this call's). */
  readonly steps: number;
  readonly loss: number;
  readonly lr: number;
  /** Non-padding tokens of this step. */
  readonly tokens: number;
  /**
   * Positions this step ran: every row of every micro-batch at its padded length (rows of padding included), so
   * 1 - tokens / positions is the share of the step's work that was padding (length buckets make it small).
   */
  readonly positions: number;
  /** Since `train` was called. */
  readonly elapsedMs: number;
}

export interface TrainResult {
  readonly losses: readonly number[];
  /** Optimizer steps done in total (with earlier `train` calls on the same setup). */
  readonly step: number;
}

/**
 * A training run's state at an optimizer step, to resume from (TrainingSetup.checkpoint): the adapter and its AdamW
 * moments as safetensors bytes keyed by the train step's input names, and the step count. The LoRA settings and the
 * model are in the safetensors metadata and are checked on resume.
 */
export interface TrainingCheckpoint {
  readonly step: number;
  readonly state: Uint8Array;
}

/** A model's files in the Hub's layout (a full-weight run's tuned model): config.json and model.safetensors (float32, checkpoint names). */
export interface ModelFiles {
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

/** A PEFT adapter as its two files: adapter_config.json's object and adapter_model.safetensors' bytes. */
export interface PeftAdapter {
  readonly config: Record<string, unknown>;
  readonly weights: Uint8Array;
}

export interface CallOptions {
  /** Cancels the call; it then rejects with an EngineError of kind 'cancelled' and changes nothing. */
  readonly signal?: AbortSignal;
}

export interface LoadOptions extends CallOptions {
  readonly onProgress?: (p: LoadProgress) => void;
  /**
   * Default true: a model without tokenizer.json is refused at load. Benchmarks of a bare checkpoint pass false;
   * tokenizing then fails with kind 'tokenizer'.
   */
  readonly requireTokenizer?: boolean;
}

/**
 * Which LoRA weights a score or a generation runs with: none (the base model), the prepared training's adapter as it
 * is now (read where it lives, on the device, with no copy), a PEFT adapter given here (checked against the model), or
 * the adapter in a run's checkpoint (readCheckpoint's bytes: a stored run evaluated without preparing its training;
 * checked to be of the loaded model, its LoRA settings read from it).
 * Default: 'trained' when a training is prepared, else 'none'.
 */
export type InferenceAdapter =
  | { readonly kind: 'none' }
  | { readonly kind: 'trained' }
  | { readonly kind: 'peft'; readonly adapter: PeftAdapter }
  | { readonly kind: 'checkpoint'; readonly checkpoint: TrainingCheckpoint };

/** Where and with what inference runs. */
export interface InferenceOptions {
  /** Default: the prepared training's EP, else 'webgpu' where available, else the first available. */
  readonly ep?: ExecutionProvider;
  readonly wasmThreads?: number;
  readonly adapter?: InferenceAdapter;
}

/**
 * Scoring: log P(completion | prompt) per example. Examples are as training takes them (sequences.ts): text prompt with
 * the tokenizer's special tokens, completion without, then EOS (so a label's score is that of the label and its end),
 * or tokens with the prompt's length. The graph returns per-token values only, never [B, T, V] logits.
 */
export interface ScoreRequest extends InferenceOptions {
  readonly examples: readonly TrainExample[];
  /** Rows per run (default 8; fewer where the memory does not allow it). */
  readonly batchSize?: number;
}

export interface ExampleScore {
  /** Sum of the completion tokens' log-probabilities (natural log). */
  readonly logprob: number;
  /** The completion tokens scored (EOS included for text examples). */
  readonly tokens: number;
  /** Each completion token's log-probability, in order. */
  readonly tokenLogprobs: readonly number[];
}

/** Label scoring: each prompt against every label's verbalizer (the completion). */
export interface LabelScoreRequest extends InferenceOptions {
  readonly prompts: readonly string[];
  /** The verbalizers, e.g. ["yes", "no"]; at least two, distinct. */
  readonly labels: readonly string[];
  readonly batchSize?: number;
}

export interface LabelScores {
  /** Each label's probability normalised over the labels: softmax of `logprobs`. Sums to 1. */
  readonly probabilities: readonly number[];
  /** Each label's raw log P(label + EOS | prompt), unnormalised. */
  readonly logprobs: readonly number[];
  /** Index of the most probable label (the first on a tie). */
  readonly best: number;
}

/** What generation continues: raw text (tokenized with special tokens), chat messages (the template with the generation prompt), or ids. */
export type GenerationPrompt = { readonly text: string } | { readonly messages: readonly ChatMessage[] } | { readonly tokens: readonly number[] };

export interface GenerateRequest extends InferenceOptions {
  readonly prompt: GenerationPrompt;
  readonly maxNewTokens: number;
  /** 0 (default): greedy, the most probable token (the lowest id on a tie, as torch.argmax). */
  readonly temperature?: number;
  /** Nucleus sampling (with temperature > 0): the smallest set of tokens whose probability reaches topP. Default 1. */
  readonly topP?: number;
  /** Seed of the sampling; the same seed, settings and prompt give the same tokens. Default 0. */
  readonly seed?: number;
  /** Stop when the text contains one of these; the text returned ends before it. */
  readonly stop?: readonly string[];
  /** Stop at these ids as well as the model's EOS ids (generation_config.json and the tokenizer's). */
  readonly stopTokenIds?: readonly number[];
}

/** Streamed as tokens come: the new ids since the last progress and the text they complete. */
export interface GenerateProgress {
  readonly ids: readonly number[];
  /** Text that is final (a stop string or an incomplete character held back until resolved). */
  readonly text: string;
  /** New tokens so far. */
  readonly generated: number;
}

export interface GenerateResult {
  /** The new tokens only (an EOS that ended it included; tokens of a stop string included). */
  readonly ids: readonly number[];
  /** The new tokens' text without special tokens, cut before a stop string. */
  readonly text: string;
  readonly finishReason: 'eos' | 'stop' | 'length';
  readonly promptTokens: number;
  readonly timings: { readonly prefillMs: number; readonly decodeMs: number };
}

export interface CachedModelFile {
  readonly endpoint: string;
  readonly repo: string;
  readonly revision: string;
  readonly file: string;
  readonly bytes: number;
}

export interface Engine {
  /** The files a source would load, with sizes, and its config; downloads nothing large. */
  inspect(source: ModelSource, options?: CallOptions): Promise<SourceInspection>;
  /** Loads a model (weights, tokenizer, chat template), replacing the loaded one (and its training) only when all of it loaded. */
  load(source: ModelSource, options?: LoadOptions): Promise<ModelInfo>;
  /** The loaded model; an EngineError of kind 'usage' when none is. */
  describe(): Promise<ModelInfo>;

  tokenize(text: string, options?: { addSpecialTokens?: boolean }): Promise<number[]>;
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): Promise<string>;
  /** The chat template rendered with the tokenizer's special tokens; tokenize the result with addSpecialTokens false. */
  applyChatTemplate(messages: readonly ChatMessage[], options?: { addGenerationPrompt?: boolean }): Promise<string>;

  /**
   * The memory a setup would take on this device, without building anything: for the loaded model, or for
   * `options.config` (config.json's object, e.g. from `inspect`), so the UI can say before a download whether it fits.
   */
  estimateMemory(setup: TrainingSetup, options?: { config?: unknown }): Promise<MemoryEstimate>;
  /** Builds the artifacts for the setup and creates the sessions; refuses (kind 'out-of-memory') a setup that does not fit. */
  prepareTraining(setup: TrainingSetup, options?: CallOptions): Promise<TrainingInfo>;
  /**
   * Optimizer steps on the prepared setup; cancellation stops between steps, keeping those done. A loss that is NaN or
   * infinite stops the run with an EngineError of kind 'diverged' naming the step; the setup's state is then not
   * usable (later steps may have been queued): resume from a checkpoint.
   */
  train(request: TrainRequest, options?: CallOptions & { onProgress?: (p: TrainProgress) => void }): Promise<TrainResult>;
  /** Mean loss on the completion tokens of the examples (in batches of the setup's micro-batch). */
  evaluate(examples: readonly TrainExample[], options?: CallOptions): Promise<{ loss: number; tokens: number }>;
  /** The tuned adapter in PEFT's format (base_model_name_or_path names the loaded model). */
  readAdapter(): Promise<PeftAdapter>;
  /** The prepared training's adapter, optimizer state and step, to resume from later (TrainingSetup.checkpoint). */
  readCheckpoint(): Promise<TrainingCheckpoint>;
  /**
   * The adapter in a run's checkpoint (readCheckpoint's bytes) in PEFT's format, as readAdapter writes it, with no
   * training prepared (a stored run's adapter exported after a reload); the checkpoint must be of the loaded model
   * (an EngineError 'config' otherwise).
   */
  checkpointAdapter(checkpoint: TrainingCheckpoint): Promise<PeftAdapter>;
  /**
   * The tuned model in a full-weight run's checkpoint (TrainingSetup.allWeights) as its files, loadable by
   * transformers' from_pretrained with the base model's tokenizer; the checkpoint must be of the loaded model. An
   * adapter's checkpoint is refused here (kind 'usage'), as a full-weight one is by readAdapter and checkpointAdapter.
   */
  checkpointModel(checkpoint: TrainingCheckpoint): Promise<ModelFiles>;
  /** Replaces the prepared setup's adapter (optimizer state reset); a mismatched base or rank is an EngineError. */
  loadAdapter(adapter: PeftAdapter): Promise<void>;

  /** Log-probabilities of each example's completion given its prompt, in order. */
  score(request: ScoreRequest, options?: CallOptions): Promise<ExampleScore[]>;
  /** For each prompt, each label's probability (normalised over the labels) and raw log-probability. */
  scoreLabels(request: LabelScoreRequest, options?: CallOptions): Promise<LabelScores[]>;
  /** Continues a prompt with a KV cache on the device; tokens stream through onProgress; cancellation keeps nothing. */
  generate(request: GenerateRequest, options?: CallOptions & { onProgress?: (p: GenerateProgress) => void }): Promise<GenerateResult>;

  /** Model files in the browser's cache (Hub sources), to list and clear. */
  listCache(): Promise<CachedModelFile[]>;
  clearCache(filter?: { endpoint?: string; repo?: string; revision?: string }): Promise<number>;

  /** Releases sessions and GPU buffers; the engine can load again afterwards. */
  dispose(): Promise<void>;
}

export type { EngineErrorKind, ExecutionProvider };

/** The projections LoRA can target (LoraSettings.targets), in PEFT's canonical order: what a settings form offers. */
export { LORA_TARGETS } from '../models/lora.ts';

/** PEFT's module name of a LoRA target (q -> "q_proj"): what an exported LoraConfig lists. */
export { targetModuleName } from '../models/lora.ts';

/** AdamW's betas and eps, and the weight decay of a TrainingSetup without `weightDecay`: what an exported run states. */
export { adamwDefaults } from '../graph/optim/adamw.ts';
