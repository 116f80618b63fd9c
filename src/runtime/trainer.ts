import type { StateData, TrainingArtifacts } from '../models/artifacts.ts';
import type { Batch } from '../models/batch.ts';
import { unpackAdapter, type ArtifactsManifest, type TensorSpec } from '../models/manifest.ts';
import { accumulateOutputs, AccumulationSessions, lossDenominator } from './accumulation.ts';
import { BackendError, type Backend, type GpuIo, type HostTensor } from './backend.ts';
import type { DeviceWatch } from './device-watch.ts';
import type { OrtSession, OrtTensor } from './ort.ts';
import { StepSessions, type LengthBuckets } from './step-sessions.ts';
import { sizeOf } from '../graph/shape.ts';

/**
 * Runs LoRA train steps from training artifacts (models/artifacts.ts) on one backend.
 *
 * Residency: the trainable tensors and optimizer state are uploaded once and then live where the train step
 * writes them (GPU buffers on WebGPU): each step's outputs are fed back as the next step's inputs and the
 * replaced tensors are disposed. Base weights given as inputs are uploaded once and shared by the train-step
 * and forward sessions. Per step only the batch and the two scalars lr and step go up, and only the loss
 * (optionally) comes back, asynchronously: `step()` resolves once the step is queued, its `loss` promise when
 * the GPU has computed it, so steps pipeline when the caller does not wait for each loss.
 *
 * Gradient accumulation: a step over several micro-batches (artifacts built with `accumulation`) runs the
 * accumulate graph once per micro-batch, the running loss and gradient sums staying on the device, then the apply
 * graph once; it makes the update one fused step over all their rows would make. A step over one batch runs the
 * fused train step.
 *
 * Length buckets (TrainerOptions.lengthBuckets): a step's batches may be shorter than the artifacts' seqLen, each at
 * one of the bucket lengths, so less of a step is padding. Each length has its own train-step (and accumulate)
 * session, made at its first batch of that length (step-sessions.ts); they all read and update the same state and
 * weights tensors, so the updates are those of batches padded to seqLen (padding carries no loss).
 *
 * Runs are serialised (onnxruntime-web runs one session at a time). A lost GPU device turns every pending
 * and later call into a DeviceLostError.
 */

export interface StepOptions {
  readonly lr: number;
  /** Read the loss back (default true). Without it nothing comes back from the GPU. */
  readonly readLoss?: boolean;
  /** Read the pre-clipping gradient norm back (artifacts with clipping only). Default false. */
  readonly readGradNorm?: boolean;
  /**
   * Read the raw (unclipped) gradients of the whole batch back, by trainable input name (artifacts built with
   * gradients only, also for steps over micro-batches, whose summed gradient is read).
   */
  readonly readGradients?: boolean;
}

export interface StepResult {
  /** The 1-based number of this update. */
  readonly step: number;
  /** The whole batch's loss (over all its micro-batches): sum(loss_mask * nll) / max(sum(loss_mask), 1). */
  readonly loss: Promise<number> | null;
  readonly gradNorm: Promise<number> | null;
  readonly gradients: Promise<Map<string, StateData>> | null;
}

export interface EvaluateResult {
  readonly loss: number;
  readonly logits?: Float32Array | Float64Array;
}

export interface TrainerOptions {
  /**
   * WebGPU only: run the train step with onnxruntime-web's graph capture (SessionSettings.graphCapture). The
   * batch, lr, step, state and outputs then live in fixed GPU tensors: each step writes the batch and scalars
   * into theirs, replays the recorded kernels, and copies the updated state onto the state inputs. It saves
   * the CPU's per-kernel work (most of a step's time on a large GPU) but keeps every intermediate buffer of
   * the step allocated, so it needs more GPU memory; raw gradients cannot be read. Off by default.
   */
  readonly graphCapture?: boolean;
  /**
   * Lengths a step's batches may have besides the artifacts' seqLen, and how to build the step graphs at each. With
   * graph capture each length's train step is captured with fixed batch and output tensors of its own, the state and
   * weights tensors shared by all (each run's updated state is copied onto them), so each captured length keeps its
   * intermediate buffers allocated. Evaluation takes the artifacts' seqLen only. Default: that length only.
   */
  readonly lengthBuckets?: LengthBuckets;
}

/** The fixed GPU tensors of a captured train step: its inputs (bound once) and its pre-allocated outputs. */
interface CapturedIo {
  readonly feeds: Record<string, OrtTensor>;
  readonly outputs: Record<string, OrtTensor>;
}

export class TrainerError extends Error {
  override readonly name = 'TrainerError';
}

async function scalar(t: OrtTensor): Promise<number> {
  const data = (await t.getData(true)) as Float32Array | Float64Array;
  return data[0]!;
}

export class Trainer {
  private readonly state = new Map<string, OrtTensor>();
  private readonly weights = new Map<string, OrtTensor>();
  private forwardSession: Promise<OrtSession> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private completed: number;
  private disposed = false;
  /** The captured steps' fixed tensors by batch length (graph capture): the artifacts' own from the start, others at their first step. */
  private readonly captured = new Map<number, Promise<CapturedIo>>();
  private readonly capture: boolean;
  /** Made at the first step over several micro-batches. */
  private accumulation: Promise<AccumulationSessions> | null = null;

  /** The device this trainer's sessions and tensors live on (captured when its session was made). */
  private readonly watch: DeviceWatch;

  private constructor(
    readonly backend: Backend,
    readonly manifest: ArtifactsManifest,
    private readonly sessions: StepSessions,
    private readonly forwardOnnx: Uint8Array,
    private readonly applyOnnx: Uint8Array | null,
    capture: boolean,
  ) {
    this.completed = manifest.state.step;
    this.watch = backend.watch();
    this.capture = capture;
  }

  /** Creates the train-step session and uploads the state and (placement 'inputs') the base weights. */
  static async create(backend: Backend, artifacts: Omit<TrainingArtifacts, 'stats'>, options: TrainerOptions = {}): Promise<Trainer> {
    const m = artifacts.manifest;
    if (backend.ep === 'webgpu' && m.dtype !== 'float32') throw new BackendError('WebGPU runs float32 artifacts only');
    const capture = options.graphCapture ?? false;
    if (capture && backend.gpu === null) throw new TrainerError(`graph capture needs the WebGPU backend, not ${backend.ep}`);
    if (m.accumulation !== null && artifacts.accumulation === null) throw new TrainerError('the manifest names accumulation graphs the artifacts do not have');
    const resident = [
      m.trainStep.loss,
      ...Object.keys(m.trainStep.updates),
      ...(m.trainStep.gradNorm ? [m.trainStep.gradNorm] : []),
      ...Object.keys(m.trainStep.gradients ?? {}),
    ];
    const settings = { residentOutputs: resident, graphCapture: capture, ...optimization(m) };
    const session = await backend.createSession(artifacts.trainStepOnnx, settings);
    const accumulate = { residentOutputs: m.accumulation === null ? [] : accumulateOutputs(m.accumulation), ...optimization(m) };
    const sessions = new StepSessions(
      backend,
      { seqLen: m.batch.seqLen, graphs: { trainStepOnnx: artifacts.trainStepOnnx, accumulation: m.accumulation === null ? null : artifacts.accumulation }, train: session },
      { train: settings, accumulate },
      options.lengthBuckets ?? null,
    );
    const trainer = new Trainer(backend, m, sessions, artifacts.forwardOnnx, m.accumulation === null ? null : artifacts.accumulation!.applyOnnx, capture);
    try {
      // A captured step's inputs must be graph capture's fixed tensors (GpuIo), the weights and state included.
      const upload = capture ? (t: HostTensor) => backend.gpu!.upload(t) : (t: HostTensor) => Promise.resolve(backend.resident(t));
      const specs = [...m.trainStep.trainable, ...m.trainStep.optimizerState];
      for (const s of specs) trainer.state.set(s.name, await upload(host(s, artifacts.state.get(s.name), 'state')));
      if (m.weights.placement === 'inputs') {
        for (const s of m.weights.tensors) trainer.weights.set(s.name, await upload(host(s, artifacts.weights.get(s.name), 'weights')));
      }
      if (capture) await trainer.capturedIo(m.batch.seqLen);
    } catch (error) {
      await trainer.dispose();
      throw error;
    }
    return trainer;
  }

  /** The lengths a step's batch may have (ascending; the artifacts' seqLen the last). */
  get lengths(): readonly number[] {
    return this.sessions.lengths;
  }

  /** The lengths whose train-step session has been made so far (diagnostics and tests: buckets are made lazily). */
  madeLengths(): number[] {
    return this.sessions.trainLengths();
  }

  /** Updates completed so far (the manifest's state.step plus the steps run here). */
  get completedSteps(): number {
    return this.completed;
  }

  /**
   * Queues one AdamW update on `batch`, or on the micro-batches of one batch (each of the artifacts' batch size; rows
   * of padding, with no loss, fill the last one). One micro-batch runs the fused train step; several need artifacts
   * built with accumulation.
   */
  step(batch: Batch | readonly Batch[], options: StepOptions): Promise<StepResult> {
    const batches = 'input_ids' in batch ? [batch] : batch;
    if (batches.length !== 1) return this.accumulatedStep(batches, options);
    return this.fusedStep(batches[0]!, options);
  }

  private fusedStep(batch: Batch, options: StepOptions): Promise<StepResult> {
    if (this.capture) return this.capturedStep(batch, options);
    return this.exclusive(async () => {
      const m = this.manifest.trainStep;
      this.checkBatch(batch, this.sessions.lengths);
      const session = await this.watch.guard(this.sessions.train(batch.seqLen));
      const number = this.completed + 1;
      const scalarOf = (value: number) => this.backend.host({ dtype: this.manifest.dtype, shape: [], data: this.floats([value]) });
      const feeds: Record<string, OrtTensor> = { ...this.batchFeeds(batch), ...Object.fromEntries(this.state), ...Object.fromEntries(this.weights) };
      feeds[m.lr] = scalarOf(options.lr);
      feeds[m.step] = scalarOf(number);
      const fetches = [m.loss, ...Object.keys(m.updates)];
      if (this.readsGradNorm(options)) fetches.push(m.gradNorm!);
      this.checkGradients(options);
      const gradientOutputs = options.readGradients ? Object.keys(m.gradients!) : [];
      fetches.push(...gradientOutputs);
      const out = await this.watch.guard(session.run(feeds, fetches));
      for (const [output, input] of Object.entries(m.updates)) {
        this.state.get(input)?.dispose();
        this.state.set(input, out[output]!);
      }
      this.completed = number;
      const gradients = gradientOutputs.length === 0 ? null : this.readGradients(gradientOutputs.map((name) => [m.gradients![name]!, out[name]!]));
      return this.stepResult(number, options, gradients, {
        read: (name) => scalar(out[name]!),
        // The run handed this output over; nobody else will dispose it.
        unread: (name) => out[name]!.dispose(),
      });
    });
  }

  /**
   * A step over several micro-batches (see the top). With graph capture, the state stays in the capture's fixed
   * tensors: the apply graph's outputs are copied onto them.
   */
  private accumulatedStep(batches: readonly Batch[], options: StepOptions): Promise<StepResult> {
    return this.exclusive(async () => {
      if (batches.length === 0) throw new TrainerError('a step needs at least one batch');
      const a = this.manifest.accumulation;
      if (a === null || this.applyOnnx === null) {
        throw new TrainerError(`a step over ${batches.length} micro-batches needs artifacts built with gradient accumulation`);
      }
      this.checkGradients(options);
      for (const batch of batches) this.checkBatch(batch, this.sessions.lengths);
      const m = this.manifest.trainStep;
      const sessions = await this.accumulationSessions(this.applyOnnx);
      const number = this.completed + 1;
      const scalarOf = (value: number) => this.backend.host({ dtype: this.manifest.dtype, shape: [], data: this.floats([value]) });
      const trainables = Object.fromEntries(m.trainable.map((t) => [t.name, this.state.get(t.name)!]));
      const weights = Object.fromEntries(this.weights);
      const denominator = { [a.accumulate.lossDenominator]: scalarOf(lossDenominator(batches)) };
      const feeds = (batch: Batch) => ({ ...this.batchFeeds(batch), ...trainables, ...weights, ...denominator });
      const sums = await sessions.run(batches, (batch) => this.sessions.accumulate(batch.seqLen), feeds, this.watch);
      const gradientSums = a.accumulate.gradientSums.map((g) => [g.of, sums.get(g.input)!] as const);
      const lossSum = sums.get(a.accumulate.lossSum.input)!;
      const fetches = Object.keys(a.apply.updates);
      const readsGradNorm = this.readsGradNorm(options);
      if (readsGradNorm) fetches.push(a.apply.gradNorm!);
      let out: Record<string, OrtTensor>;
      try {
        const gradientFeeds = Object.fromEntries(a.accumulate.gradientSums.map((g) => [g.input, sums.get(g.input)!]));
        const feeds = { ...Object.fromEntries(this.state), ...gradientFeeds, [a.apply.lr]: scalarOf(options.lr), [a.apply.step]: scalarOf(number) };
        out = await this.watch.guard(sessions.apply.run(feeds, fetches));
      } catch (error) {
        for (const t of sums.values()) t.dispose();
        throw error;
      }
      if (this.capture) {
        // Queued after the apply run's kernels, as in capturedStep; the outputs are then ours to dispose.
        this.backend.gpu!.copy(Object.entries(a.apply.updates).map(([output, input]) => [out[output]!, this.state.get(input)!] as const));
        for (const output of Object.keys(a.apply.updates)) out[output]!.dispose();
      } else {
        for (const [output, input] of Object.entries(a.apply.updates)) {
          this.state.get(input)?.dispose();
          this.state.set(input, out[output]!);
        }
      }
      this.completed = number;
      let gradients: Promise<Map<string, StateData>> | null = null;
      if (options.readGradients) gradients = this.readGradients(gradientSums);
      else for (const [, t] of gradientSums) t.dispose();
      // stepResult reads by the fused step's output names.
      const results: Record<string, OrtTensor> = { [m.loss]: lossSum, ...(readsGradNorm ? { [m.gradNorm!]: out[a.apply.gradNorm!]! } : {}) };
      return this.stepResult(number, options, gradients, { read: (name) => scalar(results[name]!), unread: (name) => results[name]!.dispose() });
    });
  }

  private accumulationSessions(applyOnnx: Uint8Array): Promise<AccumulationSessions> {
    if (this.accumulation === null) {
      const made = AccumulationSessions.create(this.backend, this.manifest, applyOnnx, optimization(this.manifest));
      // A failed creation is tried again at the next step.
      made.catch(() => (this.accumulation = null));
      this.accumulation = made;
    }
    return this.watch.guard(this.accumulation);
  }

  /** Throws when gradients are asked for and the artifacts were built without them. */
  private checkGradients(options: StepOptions): void {
    if (options.readGradients && this.manifest.trainStep.gradients === null) throw new TrainerError('these artifacts have no gradient outputs (build them with gradients)');
  }

  /** Reads gradients back (releasing their tensors), by trainable input name; guarded and already handled. */
  private readGradients(tensors: readonly (readonly [name: string, tensor: OrtTensor])[]): Promise<Map<string, StateData>> {
    const read = this.watch.guard(Promise.all(tensors.map(async ([name, t]) => [name, (await t.getData(true)) as StateData] as const)).then((e) => new Map(e)));
    read.catch(() => undefined);
    return read;
  }

  /**
   * step() with graph capture: the same feeds and outputs every run of a length's session (see
   * TrainerOptions.graphCapture), the state tensors the same for every length.
   */
  private capturedStep(batch: Batch, options: StepOptions): Promise<StepResult> {
    return this.exclusive(async () => {
      if (options.readGradients) throw new TrainerError('raw gradients cannot be read from a train step with graph capture');
      const m = this.manifest.trainStep;
      const gpu = this.backend.gpu!;
      const number = this.completed + 1;
      this.checkBatch(batch, this.sessions.lengths);
      const session = await this.watch.guard(this.sessions.train(batch.seqLen));
      const io = await this.watch.guard(this.capturedIo(batch.seqLen));
      gpu.write(io.feeds['input_ids']!, batch.input_ids);
      gpu.write(io.feeds['attention_mask']!, batch.attention_mask);
      gpu.write(io.feeds['labels']!, batch.labels);
      gpu.write(io.feeds['loss_mask']!, batch.loss_mask);
      gpu.write(io.feeds[m.lr]!, this.floats([options.lr]));
      gpu.write(io.feeds[m.step]!, this.floats([number]));
      await this.watch.guard(session.run(io.feeds, io.outputs));
      // Queued after the run's kernels (onnxruntime-web's run wrapper submits them before run() resolves) and
      // before the next step's writes: the next step reads the new state.
      gpu.copy(Object.entries(m.updates).map(([output, input]) => [io.outputs[output]!, this.state.get(input)!] as const));
      this.completed = number;
      // The outputs are the capture's fixed tensors, which the next run overwrites: a read queues its copy now.
      return this.stepResult(number, options, null, {
        read: (name) => gpu.snapshot(io.outputs[name]!).then((data) => Number(data[0])),
        unread: () => {},
      });
    });
  }

  /** Whether a step with `options` reads the gradient norm back: asked for, and the artifacts have one. */
  private readsGradNorm(options: StepOptions): boolean {
    return (options.readGradNorm ?? false) && this.manifest.trainStep.gradNorm !== null;
  }

  /**
   * A finished step's result. The loss is read back unless options.readLoss is false (then `unread` is given
   * it), the gradient norm when readsGradNorm(options). Each read is guarded by the device watch and already
   * handled, so a caller that never awaits it sees no unhandled rejection.
   */
  private stepResult(
    step: number,
    options: StepOptions,
    gradients: Promise<Map<string, StateData>> | null,
    output: { read(name: string): Promise<number>; unread(name: string): void },
  ): StepResult {
    const m = this.manifest.trainStep;
    const read = (name: string): Promise<number> => {
      const value = this.watch.guard(output.read(name));
      value.catch(() => undefined);
      return value;
    };
    let loss: Promise<number> | null = null;
    if (options.readLoss ?? true) loss = read(m.loss);
    else output.unread(m.loss);
    return { step, loss, gradNorm: this.readsGradNorm(options) ? read(m.gradNorm!) : null, gradients };
  }

  /** The fixed tensors of the captured step at batch length `t`, made at its first use (a failed making is tried again). */
  private capturedIo(t: number): Promise<CapturedIo> {
    let io = this.captured.get(t);
    if (io === undefined) {
      io = this.makeCapturedIo(this.backend.gpu!, t);
      io.catch(() => this.captured.delete(t));
      this.captured.set(t, io);
    }
    return io;
  }

  /** A captured step's fixed tensors: the state and weights tensors (shared by every length), zeros for the rest. */
  private async makeCapturedIo(gpu: GpuIo, t: number): Promise<CapturedIo> {
    const m = this.manifest.trainStep;
    const b = this.manifest.batch.size;
    const made: OrtTensor[] = [];
    const zeros = async (dtype: HostTensor['dtype'], shape: readonly number[]): Promise<OrtTensor> => {
      const tensor = await gpu.zeros(dtype, shape);
      made.push(tensor);
      return tensor;
    };
    try {
      const feeds: Record<string, OrtTensor> = {
        input_ids: await zeros('int64', [b, t]),
        attention_mask: await zeros('float32', [b, t]),
        labels: await zeros('float32', [b, t]),
        loss_mask: await zeros('float32', [b, t]),
        [m.lr]: await zeros('float32', []),
        [m.step]: await zeros('float32', []),
        ...Object.fromEntries(this.state),
        ...Object.fromEntries(this.weights),
      };
      const specs = new Map([...m.trainable, ...m.optimizerState].map((spec) => [spec.name, spec]));
      const outputs: Record<string, OrtTensor> = { [m.loss]: await zeros('float32', []) };
      for (const [output, input] of Object.entries(m.updates)) outputs[output] = await zeros('float32', specs.get(input)!.shape);
      if (m.gradNorm !== null) outputs[m.gradNorm] = await zeros('float32', []);
      return { feeds, outputs };
    } catch (error) {
      for (const tensor of made) tensor.dispose();
      throw error;
    }
  }

  /**
   * The frozen weights given as inputs, as they live on the device (empty with weights as initializers): other sessions
   * on this backend (inference) read them without a second copy. They stay the trainer's: valid until its dispose.
   */
  residentWeights(): ReadonlyMap<string, OrtTensor> {
    return this.weights;
  }

  /** Loss (and logits) of the forward graph on `batch` with the current trainable tensors. */
  evaluate(batch: Batch, options: { logits?: boolean } = {}): Promise<EvaluateResult> {
    return this.exclusive(async () => {
      const f = this.manifest.forward;
      this.forwardSession ??= this.backend.createSession(this.forwardOnnx, optimization(this.manifest));
      const session = await this.watch.guard(this.forwardSession);
      // The forward graph reads some of the weights the train step reads (models/frozen-layout.ts: not the layouts
      // of x's gradient), and a session refuses feeds it has no input for.
      const reads = new Set(session.inputNames);
      this.checkBatch(batch, [this.manifest.batch.seqLen]);
      const feeds: Record<string, OrtTensor> = { ...this.batchFeeds(batch), ...Object.fromEntries([...this.weights].filter(([name]) => reads.has(name))) };
      for (const name of f.trainable) feeds[name] = this.state.get(name)!;
      const out = await this.watch.guard(session.run(feeds, options.logits ? [f.loss, f.logits] : [f.loss]));
      const loss = await scalar(out[f.loss]!);
      if (!options.logits) return { loss };
      const logits = (await this.watch.guard(out[f.logits]!.getData(true))) as Float32Array | Float64Array;
      return { loss, logits };
    });
  }

  /** Host copies of the trainable tensors and optimizer state (for state.safetensors, checkpoints). */
  readState(): Promise<Map<string, StateData>> {
    return this.exclusive(async () => {
      const out = new Map<string, StateData>();
      // On the GPU a copy is read back (GpuIo.snapshot): Tensor.getData would make the live tensor a CPU tensor, which a
      // captured step refuses and an uncaptured one uploads again every step.
      const gpu = this.backend.gpu;
      for (const [name, t] of this.state) out.set(name, (await this.watch.guard(gpu ? gpu.snapshot(t) : t.getData())) as StateData);
      return out;
    });
  }

  /** Host copies of the LoRA tensors, by PEFT name: the adapter as adapter_model.safetensors holds it. */
  async readAdapter(): Promise<Map<string, StateData>> {
    const all = await this.readState();
    return unpackAdapter(this.manifest, all.get(this.manifest.adapter.input)!);
  }

  /** Releases the sessions and every tensor this trainer holds. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => undefined);
    const mine = new Set([...this.state.values(), ...this.weights.values()]);
    for (const t of mine) t.dispose();
    const captured = await Promise.allSettled(this.captured.values());
    this.captured.clear();
    for (const io of captured) {
      if (io.status === 'rejected') continue;
      for (const t of [...Object.values(io.value.feeds), ...Object.values(io.value.outputs)]) if (!mine.has(t)) t.dispose();
    }
    this.state.clear();
    this.weights.clear();
    const forward = this.forwardSession;
    this.forwardSession = null;
    const accumulation = this.accumulation;
    this.accumulation = null;
    await this.sessions.release();
    if (forward) await forward.then((s) => s.release()).catch(() => undefined);
    if (accumulation) await accumulation.then((s) => s.release()).catch(() => undefined);
  }

  /** Runs `work` after every earlier call has settled; fails fast when disposed or the device is gone. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.disposed) throw new TrainerError('this trainer has been disposed');
      this.watch.check();
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private floats(values: readonly number[]): Float32Array | Float64Array {
    return this.manifest.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  }

  /** Throws unless `batch` has the artifacts' batch size, one of `lengths`, and their dtype. */
  private checkBatch(batch: Batch, lengths: readonly number[]): void {
    const b = this.manifest.batch.size;
    if (batch.batchSize !== b || !lengths.includes(batch.seqLen)) {
      throw new TrainerError(`the batch is ${batch.batchSize} x ${batch.seqLen}, these artifacts take ${b} x ${lengths.join(' | ')}`);
    }
    const want = this.manifest.dtype === 'float64' ? Float64Array : Float32Array;
    for (const name of ['attention_mask', 'labels', 'loss_mask'] as const) {
      if (!(batch[name] instanceof want)) throw new TrainerError(`batch ${name} must be ${this.manifest.dtype}`);
    }
  }

  /** The batch as CPU tensors of its own shape (checked by the caller). */
  private batchFeeds(batch: Batch): Record<string, OrtTensor> {
    const { batchSize: b, seqLen: t } = batch;
    const dtype = this.manifest.dtype;
    const float = (data: Float32Array | Float64Array): HostTensor => ({ dtype, shape: [b, t], data });
    return {
      input_ids: this.backend.host({ dtype: 'int64', shape: [b, t], data: batch.input_ids }),
      attention_mask: this.backend.host(float(batch.attention_mask)),
      labels: this.backend.host(float(batch.labels)),
      loss_mask: this.backend.host(float(batch.loss_mask)),
    };
  }
}

function optimization(m: ArtifactsManifest): { optimization: 'basic' | 'all' } {
  return { optimization: m.dtype === 'float64' ? 'basic' : 'all' };
}

function host(spec: TensorSpec, data: StateData | undefined, what: string): HostTensor {
  if (data === undefined) throw new TrainerError(`${what}: tensor ${spec.name} is missing`);
  if (data.length !== sizeOf(spec.shape)) throw new TrainerError(`${what}: tensor ${spec.name} has ${data.length} values, the manifest says [${spec.shape.join(', ')}]`);
  if (spec.dtype === 'int64') throw new TrainerError(`${what}: tensor ${spec.name} is int64`);
  return { dtype: spec.dtype, shape: spec.shape, data: data };
}
