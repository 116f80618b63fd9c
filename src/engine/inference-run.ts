import type { TokenSequence } from '../models/batch.ts';
import { packBatch } from '../models/batch.ts';
import {
  buildDecodeGraph,
  buildScoringGraph,
  type DECODE_INPUTS,
  LOGITS_OUTPUT,
  NO_ADAPTER_SPEC,
  packedAdapter,
  pastKey,
  pastValue,
  presentKey,
  presentValue,
  TOKEN_LOGPROBS_OUTPUT,
  type InferenceGraph,
} from '../models/inference.ts';
import { frozenTensors, layOut } from '../models/frozen-layout.ts';
import { isAllWeights, type TrainedSpec } from '../models/trained-weights.ts';
import type { Backend, ExecutionProvider } from '../runtime/backend.ts';
import type { DeviceWatch } from '../runtime/device-watch.ts';
import { KvCache } from '../runtime/kv-cache.ts';
import type { OrtSession, OrtTensor } from '../runtime/ort.ts';
import type { BackendHandle, BackendProvider } from './backends.ts';
import type { ExampleScore, GenerateProgress, GenerateRequest, GenerateResult } from './engine.ts';
import { EngineError } from './errors.ts';
import { createSampler } from './generation/sampler.ts';
import { TextStream } from './generation/text-stream.ts';
import type { LoadedModel } from './load-model.ts';
import { lossChunkBytesFor } from './memory.ts';

/** LoRA weights to run with, by PEFT name, and the spec they follow. */
export interface InferenceLora {
  /** A LoRA adapter, or every weight (a full-weight run's: the graphs then read no frozen weight). */
  readonly spec: TrainedSpec;
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

/** A prepared training's backend and the frozen weights it keeps on the device, which inference reads as they are. */
export interface SharedTraining {
  readonly backend: Backend;
  readonly weights: ReadonlyMap<string, OrtTensor>;
}

/** Sessions kept at once (each CPU session holds its own copy of the weights as initializers). */
const MAX_SESSIONS = { webgpu: 6, wasm: 3, node: 3 } as const;

/** Sequence and cache lengths are rounded up to `least` x 2^k or 1.5 x that, so a few sessions serve many lengths. */
export function bucketLength(n: number, least: number, most: number): number {
  for (let size = least; ; size *= 2) {
    if (size >= n || size >= most) return Math.min(size, most);
    if (size * 1.5 >= n && Number.isInteger(size * 1.5)) return Math.min(size * 1.5, most);
  }
}

/** Prefill runs take at most this many prompt tokens each. */
const PREFILL_CHUNK = 128;

interface CachedSession {
  readonly session: OrtSession;
  readonly graph: InferenceGraph;
}

/**
 * Scoring and generation for one loaded model on one backend (the engine's `score`, `scoreLabels` and `generate`).
 *
 * Sessions: the graphs of models/inference.ts for the shapes in use (a scoring B x T; a prefill K x C and a decode
 * 1 x C), built on first use and kept, the least recently used released beyond MAX_SESSIONS. Weights: on WebGPU they
 * are graph inputs, uploaded once in the forward layouts (or read from the prepared training's, which are the same
 * tensors), so every session shares one copy; on the CPU EPs they are initializers of each graph (the WASM EP would
 * copy input weights into its heap on every run). The adapter is one packed input, uploaded when set; without one
 * the graphs run a rank-1 LoRA of zeros (exactly the base model).
 */
export class InferenceRun {
  private readonly sessions = new Map<string, CachedSession>();
  private readonly ownWeights = new Map<string, OrtTensor>();
  private adapterTensor: OrtTensor | null = null;
  private adapterData: Float32Array | null = null;
  private lora: TrainedSpec = NO_ADAPTER_SPEC;
  private caches = new Map<string, KvCache>();
  private readonly watch: DeviceWatch;

  private constructor(
    private readonly model: LoadedModel,
    readonly ep: ExecutionProvider,
    private readonly wasmThreads: number | undefined,
    private readonly backend: Backend,
    /** Our own backend (released with us), or null when it is the training's. */
    private readonly handle: BackendHandle | null,
    private readonly shared: ReadonlyMap<string, OrtTensor> | null,
    private readonly chunkBytes: number,
  ) {
    this.watch = backend.watch();
  }

  static async open(model: LoadedModel, backends: BackendProvider, options: { ep: ExecutionProvider; wasmThreads?: number }, shared: SharedTraining | null): Promise<InferenceRun> {
    if (!backends.eps.includes(options.ep)) throw new EngineError('usage', `the ${options.ep} execution provider is not available here (available: ${backends.eps.join(', ')})`);
    const chunkBytes = lossChunkBytesFor(await backends.limits(options.ep));
    if (shared) return new InferenceRun(model, options.ep, options.wasmThreads, shared.backend, null, shared.weights, chunkBytes);
    const handle = await backends.open(options.ep, options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads });
    return new InferenceRun(model, options.ep, options.wasmThreads, handle.backend, handle, null, chunkBytes);
  }

  serves(model: LoadedModel, ep: ExecutionProvider, wasmThreads: number | undefined): boolean {
    return model === this.model && ep === this.ep && (wasmThreads === undefined || wasmThreads === this.wasmThreads);
  }

  private get weightsAsInputs(): boolean {
    return this.ep === 'webgpu';
  }

  /** Sets the LoRA weights later calls run with (null: the base model); a new spec means new graphs. */
  setAdapter(lora: InferenceLora | null): void {
    const spec = lora?.spec ?? NO_ADAPTER_SPEC;
    const data = packedAdapter(this.model.config, spec, lora?.tensors ?? null) as Float32Array;
    if (!sameSpec(spec, this.lora)) {
      this.releaseSessions();
      this.lora = spec;
    }
    // Uploaded at the next run (a WebGPU backend has no device before its first session), into the same buffer when the
    // size is the same.
    if (this.adapterTensor && this.adapterTensor.dims[0] !== data.length) {
      this.adapterTensor.dispose();
      this.adapterTensor = null;
    }
    this.adapterData = data;
  }

  private releaseSessions(): void {
    for (const { session } of this.sessions.values()) void session.release().catch(() => undefined);
    this.sessions.clear();
  }

  /** The session for a graph, made on first use; the least recently used beyond the limit is released. */
  private async session(key: string, build: () => InferenceGraph, residentOutputs: readonly string[] = []): Promise<CachedSession> {
    const found = this.sessions.get(key);
    if (found) {
      this.sessions.delete(key);
      this.sessions.set(key, found);
      return found;
    }
    const graph = build();
    const session = await this.watch.guard(this.backend.createSession(graph.onnx, { residentOutputs }));
    const made = { session, graph };
    this.sessions.set(key, made);
    while (this.sessions.size > MAX_SESSIONS[this.ep]) {
      const [oldest, { session: old }] = this.sessions.entries().next().value!;
      this.sessions.delete(oldest);
      await old.release().catch(() => undefined);
    }
    return made;
  }

  /** The frozen weights a graph reads, as inputs (WebGPU): the training's where there is one, else uploaded once. */
  private weightFeeds(graph: InferenceGraph): Record<string, OrtTensor> {
    const feeds: Record<string, OrtTensor> = {};
    if (graph.weightInputs.length === 0) return feeds;
    const layout = new Map(frozenTensors(this.model.config, 'per-step').map((t) => [t.name, t]));
    for (const name of graph.weightInputs) {
      let tensor = this.shared?.get(name) ?? this.ownWeights.get(name);
      if (tensor === undefined) {
        const spec = layout.get(name);
        if (!spec) throw new Error(`inference: no frozen weight ${name}`);
        tensor = this.backend.resident({ dtype: 'float32', shape: spec.shape, data: layOut(spec, this.model.weights) });
        this.ownWeights.set(name, tensor);
      }
      feeds[name] = tensor;
    }
    return feeds;
  }

  private adapterFeed(): Record<string, OrtTensor> {
    const data = this.adapterData;
    this.adapterData = null;
    if (this.adapterTensor && data && this.backend.gpu && this.adapterTensor.dims[0] === data.length) {
      // The same GPU buffer, new contents: a session's inputs keep their buffers (see leaveCapturedSession).
      this.backend.gpu.write(this.adapterTensor, data);
    } else if (!this.adapterTensor || data) {
      this.adapterTensor?.dispose();
      const values = data ?? (packedAdapter(this.model.config, this.lora, null) as Float32Array);
      this.adapterTensor = this.backend.resident({ dtype: 'float32', shape: [values.length], data: values });
    }
    return { adapter: this.adapterTensor };
  }

  /**
   * On the training's WebGPU backend, makes a session without graph capture the "current" one before ours run.
   * onnxruntime-web (JSEP, 1.30) registers a run's GPU inputs before it marks the run's session as current, and refuses
   * an input buffer that differs from that input's previous one when the current session is captured: right after a
   * captured train step, our first run (a KV cache from the last generation, say) would be refused with "Registering a
   * different external buffer under graph capture mode is not supported yet". Running the backend's one-node allocator
   * session (GpuIo.zeros) makes it current.
   */
  private async leaveCapturedSession(): Promise<void> {
    if (this.ep !== 'webgpu' || this.shared === null || !this.backend.gpu) return;
    (await this.watch.guard(this.backend.gpu.zeros('float32', [4]))).dispose();
  }

  private weightsFor(): LoadedModel['weights'] | undefined {
    return this.weightsAsInputs ? undefined : this.model.weights;
  }

  /** Each sequence's completion log-probabilities, in batches of up to `batchSize` rows of similar length. */
  async score(sequences: readonly TokenSequence[], options: { batchSize: number; signal?: AbortSignal }): Promise<ExampleScore[]> {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new EngineError('usage', `batch size must be a positive whole number, not ${options.batchSize}`);
    const context = this.model.config.maxPositionEmbeddings;
    await this.leaveCapturedSession();
    const order = sequences.map((s, i) => ({ s, i })).sort((a, b) => a.s.tokens.length - b.s.tokens.length);
    const results = new Array<ExampleScore>(sequences.length);
    for (let start = 0; start < order.length; start += options.batchSize) {
      if (options.signal?.aborted) throw new EngineError('cancelled', `cancelled after ${start} of ${sequences.length} examples`);
      const group = order.slice(start, start + options.batchSize);
      const rows = Math.min(options.batchSize, order.length);
      const seqLen = bucketLength(group.at(-1)!.s.tokens.length, 16, context);
      const { config } = this.model;
      const cached = await this.session(`score:${rows}x${seqLen}`, () =>
        buildScoringGraph({ config, lora: this.lora, batchSize: rows, seqLen }, this.weightsFor(), { weightsAsInputs: this.weightsAsInputs, chunkBytes: this.chunkBytes }),
      );
      const batch = packBatch(
        group.map((g) => g.s),
        { batchSize: rows, seqLen, padTokenId: this.model.info.padTokenId ?? 0 },
      );
      const shape = [rows, seqLen];
      const out = await this.watch.guard(
        cached.session.run({
          input_ids: this.backend.host({ dtype: 'int64', shape, data: batch.input_ids }),
          attention_mask: this.backend.host({ dtype: 'float32', shape, data: batch.attention_mask }),
          labels: this.backend.host({ dtype: 'float32', shape, data: batch.labels }),
          loss_mask: this.backend.host({ dtype: 'float32', shape, data: batch.loss_mask }),
          ...this.adapterFeed(),
          ...this.weightFeeds(cached.graph),
        }),
      );
      const values = (await out[TOKEN_LOGPROBS_OUTPUT]!.getData()) as Float32Array;
      for (const t of Object.values(out)) t.dispose();
      group.forEach(({ s, i }, row) => {
        // labels[t] = tokens[t + 1]: the completion's tokens are predicted at positions promptLength - 1 .. length - 2.
        const tokenLogprobs = Array.from(values.subarray(row * seqLen + s.promptLength - 1, row * seqLen + s.tokens.length - 1));
        results[i] = { logprob: tokenLogprobs.reduce((a, v) => a + v, 0), tokens: tokenLogprobs.length, tokenLogprobs };
      });
    }
    return results;
  }

  /** The ids generation stops at: the model's EOS ids, generation_config.json's, and the request's. */
  private stopIds(request: GenerateRequest): Set<number> {
    const ids = new Set<number>([...this.model.info.eosTokenIds, ...(request.stopTokenIds ?? [])]);
    const configured = this.model.generationConfig?.['eos_token_id'];
    for (const id of Array.isArray(configured) ? configured : [configured]) if (typeof id === 'number') ids.add(id);
    return ids;
  }

  async generate(prompt: readonly number[], request: GenerateRequest, options: { signal?: AbortSignal; onProgress?: (p: GenerateProgress) => void }): Promise<GenerateResult> {
    const { config, tokenizer } = this.model;
    const maxNew = request.maxNewTokens;
    if (!Number.isInteger(maxNew) || maxNew < 1) throw new EngineError('usage', `maxNewTokens must be a positive whole number, not ${maxNew}`);
    const context = config.maxPositionEmbeddings;
    const need = prompt.length + maxNew;
    if (need > context) {
      const over = need - context;
      throw new EngineError(
        'usage',
        prompt.length >= context
          ? `the prompt has ${prompt.length} tokens, ${prompt.length - context + 1} more than this model's context of ${context} leaves for an answer (shorten the passage, never the question or the answer)`
          : `the prompt's ${prompt.length} tokens and ${maxNew} new ones are ${over} more than this model's context of ${context}: ask for at most ${context - prompt.length} new tokens or shorten the passage`,
      );
    }
    const sample = createSampler({ temperature: request.temperature ?? 0, topP: request.topP ?? 1, seed: request.seed ?? 0 });
    const stops = this.stopIds(request);
    const stream = new TextStream({ decode: (ids) => (tokenizer ? tokenizer.decode(ids, { skipSpecialTokens: true }) : ''), stop: [...(request.stop ?? [])] });

    const cacheLength = bucketLength(need, 32, context);
    const chunk = Math.min(PREFILL_CHUNK, bucketLength(prompt.length, 8, cacheLength));
    const prefill = await this.decodeSession(chunk, cacheLength);
    const decode = chunk === 1 ? prefill : await this.decodeSession(1, cacheLength);
    const cache = this.cache(cacheLength);
    const fixed = { ...this.adapterFeed(), ...this.weightFeeds(prefill.graph) };
    await this.leaveCapturedSession();

    const start = performance.now();
    let logits: Float32Array | null = null;
    for (let at = 0; at < prompt.length; at += chunk) {
      if (options.signal?.aborted) throw new EngineError('cancelled', 'generation cancelled');
      logits = await this.step(prefill, cache, prompt.slice(at, at + chunk), at, chunk, fixed);
    }
    const prefillMs = performance.now() - start;
    const ids: number[] = [];
    let finishReason: GenerateResult['finishReason'] = 'length';
    let pending: number[] = [];
    let text = '';
    const flush = (delta: string) => {
      text += delta;
      if (delta.length > 0 || pending.length > 0) options.onProgress?.({ ids: pending, text: delta, generated: ids.length });
      pending = [];
    };
    while (ids.length < maxNew) {
      if (options.signal?.aborted) throw new EngineError('cancelled', `generation cancelled after ${ids.length} tokens`);
      const id = sample(logits!);
      ids.push(id);
      pending.push(id);
      if (stops.has(id)) {
        finishReason = 'eos';
        break;
      }
      const delta = stream.push(id);
      if (stream.stopped) {
        flush(delta);
        finishReason = 'stop';
        break;
      }
      if (delta.length > 0) flush(delta);
      if (ids.length === maxNew) break;
      logits = await this.step(decode, cache, [id], prompt.length + ids.length - 1, 1, { ...fixed, ...this.weightFeeds(decode.graph) });
    }
    flush(finishReason === 'stop' ? '' : stream.finish());
    return { ids, text, finishReason, promptTokens: prompt.length, timings: { prefillMs: Math.round(prefillMs), decodeMs: Math.round(performance.now() - start - prefillMs) } };
  }

  private decodeSession(length: number, cacheLength: number): Promise<CachedSession> {
    const { config } = this.model;
    const presents = Array.from({ length: config.numHiddenLayers }, (_, l) => [presentKey(l), presentValue(l)]).flat();
    return this.session(
      `decode:${length}x${cacheLength}`,
      () => buildDecodeGraph({ config, lora: this.lora, batchSize: 1, length, cacheLength }, this.weightsFor(), { weightsAsInputs: this.weightsAsInputs }),
      presents,
    );
  }

  /** The KV cache of this length (one kept per length: a generation starts from the last one's, see runtime/kv-cache.ts). */
  private cache(cacheLength: number): KvCache {
    const key = String(cacheLength);
    let cache = this.caches.get(key);
    if (!cache) {
      const { config } = this.model;
      const layers = config.numHiddenLayers;
      cache = KvCache.zeros(
        this.backend,
        { layers, batchSize: 1, kvHeads: config.numKeyValueHeads, headDim: config.headDim, cacheLength },
        {
          past: Array.from({ length: layers }, (_, l) => [pastKey(l), pastValue(l)]).flat(),
          present: Array.from({ length: layers }, (_, l) => [presentKey(l), presentValue(l)]).flat(),
        },
      );
      // One cache at a time: a laptop GPU may not hold two long ones.
      for (const other of this.caches.values()) other.dispose();
      this.caches = new Map([[key, cache]]);
    }
    return cache;
  }

  /** Runs `tokens` (at most `length`, padded) at positions start.. through the cache; the last real token's logits. */
  private async step(cached: CachedSession, cache: KvCache, tokens: readonly number[], start: number, length: number, fixed: Record<string, OrtTensor>): Promise<Float32Array> {
    const ids = new BigInt64Array(length);
    const positionIds = new BigInt64Array(length);
    const positions = new Float32Array(length);
    const last = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      ids[i] = BigInt(i < tokens.length ? tokens[i]! : 0);
      positionIds[i] = BigInt(start + i);
      positions[i] = start + i;
    }
    last[tokens.length - 1] = 1;
    const shape = [1, length];
    const inputs: Record<(typeof DECODE_INPUTS)[number], OrtTensor> = {
      input_ids: this.backend.host({ dtype: 'int64', shape, data: ids }),
      position_ids: this.backend.host({ dtype: 'int64', shape, data: positionIds }),
      positions: this.backend.host({ dtype: 'float32', shape, data: positions }),
      last_mask: this.backend.host({ dtype: 'float32', shape, data: last }),
    };
    const out = await this.watch.guard(cached.session.run({ ...inputs, ...fixed, ...cache.feeds() }));
    cache.advance(out);
    const logits = out[LOGITS_OUTPUT]!;
    const data = (await logits.getData()) as Float32Array;
    logits.dispose();
    return data;
  }

  async dispose(): Promise<void> {
    for (const cache of this.caches.values()) cache.dispose();
    this.caches.clear();
    for (const { session } of this.sessions.values()) await session.release().catch(() => undefined);
    this.sessions.clear();
    for (const t of this.ownWeights.values()) t.dispose();
    this.ownWeights.clear();
    this.adapterTensor?.dispose();
    this.adapterTensor = null;
    if (this.handle) {
      await this.handle.backend.dispose();
      this.handle.release();
    }
  }
}

function sameSpec(a: TrainedSpec, b: TrainedSpec): boolean {
  if (isAllWeights(a) || isAllWeights(b)) return isAllWeights(a) && isAllWeights(b);
  return a.r === b.r && a.alpha === b.alpha && a.targets.join() === b.targets.join();
}
