// The typed API the engine harness page exposes on `window` (e2e/harness/engine.ts) for e2e/engine*.spec.ts.
import type {
  ChatMessage,
  CachedModelFile,
  ExampleScore,
  GenerateProgress,
  GenerateRequest,
  GenerateResult,
  LabelScoreRequest,
  LabelScores,
  LoadProgress,
  ModelInfo,
  ScoreRequest,
} from '../../src/engine/engine.ts';
import type { EngineErrorData } from '../../src/engine/errors.ts';

export type HarnessEp = 'webgpu' | 'wasm';
/** Which implementation of the Engine interface a call goes through: the Web Worker client or the in-thread engine in the page. */
export type EngineHost = 'worker' | 'page';

export interface TrainRun {
  readonly host: EngineHost;
  readonly ep: HarnessEp;
  readonly graphCapture: boolean;
  readonly losses: number[];
  /** Every LoRA tensor of the exported adapter, by PEFT name in sorted order, concatenated. */
  readonly adapter: number[];
  readonly trainStepNodes: number;
  readonly msPerStep: number;
  /** Each step's time in the page, between the arrivals of its progress (the first from the call). */
  readonly stepMs: number[];
}

export interface PlacementProbe {
  /** Nodes per execution provider, from ORT's verbose session log; null if the log had no placement lines. */
  readonly nodesByProvider: Record<string, number> | null;
  readonly nodeNames: Record<string, string[]> | null;
  readonly trainStepNodes: number;
}

export interface DeviceLossProbe {
  /** Steps that finished before the device was destroyed. */
  readonly stepsBefore: number;
  /** How the run queued when the device was destroyed settled, and how a later run settled. */
  readonly pending: { readonly kind: string; readonly message: string } | 'resolved' | 'timeout';
  readonly later: { readonly kind: string; readonly message: string } | 'resolved' | 'timeout';
}

/** A model on a Hub (the e2e's local server). */
export interface HubModel {
  readonly endpoint: string;
  readonly repo: string;
  readonly revision: string;
  readonly token?: string;
}

export interface HubLoad {
  readonly info: ModelInfo | null;
  readonly error: EngineErrorData | null;
  readonly progress: LoadProgress[];
  /** The load call's time in the page. */
  readonly ms: number;
}

/** Text examples for training on a real tokenizer: (prompt, completion). */
export interface TextExample {
  readonly prompt: string;
  readonly completion: string;
}

/** A generation as its caller saw it: the progress it streamed, in order, and how the call settled. */
export interface GenerationRun {
  /** The result, or the EngineError it rejected with (as data). */
  readonly result: GenerateResult | null;
  readonly error: EngineErrorData | null;
  /** The progress delivered before the call settled, in order of arrival (a copy taken when it settled: nothing later). */
  readonly progress: GenerateProgress[];
}

export interface EngineHarness {
  /** LoRA train steps of a tiny random Llama (tokens as examples). */
  train(host: EngineHost, ep: HarnessEp, steps: number, options?: { graphCapture?: boolean; microBatchSize?: number }): Promise<TrainRun>;
  /** Loads a Hub model into the host's engine, collecting progress; an EngineError comes back as data. */
  loadHub(host: EngineHost, model: HubModel): Promise<HubLoad>;
  tokenize(host: EngineHost, texts: readonly string[], addSpecialTokens: boolean): Promise<number[][]>;
  applyChatTemplate(host: EngineHost, messages: readonly ChatMessage[], addGenerationPrompt: boolean): Promise<string>;
  /** Trains the loaded (Hub) model on text examples, batch 2, learning rate 2e-2 unless given. */
  trainText(host: EngineHost, ep: HarnessEp, examples: readonly TextExample[], steps: number, seqLen: number, options?: { lr?: number }): Promise<TrainRun>;
  /** The host engine's loaded model. */
  describe(host: EngineHost): Promise<ModelInfo>;
  listCache(host: EngineHost): Promise<CachedModelFile[]>;
  clearCache(host: EngineHost): Promise<number>;
  /**
   * Generates on the host's loaded model, collecting progress. With `cancelAfterTokens`, the call's signal is aborted
   * once progress has reported that many new tokens.
   */
  generate(host: EngineHost, request: GenerateRequest, options?: { cancelAfterTokens?: number }): Promise<GenerationRun>;
  score(host: EngineHost, request: ScoreRequest): Promise<ExampleScore[]>;
  scoreLabels(host: EngineHost, request: LabelScoreRequest): Promise<LabelScores[]>;
  placement(): Promise<PlacementProbe>;
  deviceLoss(): Promise<DeviceLossProbe>;
}

declare global {
  interface Window {
    engineHarness?: EngineHarness;
  }
}
