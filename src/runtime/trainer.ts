import type { StateData, TrainingArtifacts } from '../models/artifacts.ts';
import type { Batch } from '../models/batch.ts';
import { unpackAdapter, type ArtifactsManifest, type TensorSpec } from '../models/manifest.ts';
import { BackendError, type Backend, type HostTensor } from './backend.ts';
import type { DeviceWatch } from './device-watch.ts';
import type { OrtSession, OrtTensor } from './ort.ts';
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
 * Runs are serialised (onnxruntime-web runs one session at a time). A lost GPU device turns every pending
 * and later call into a DeviceLostError.
 */

export interface StepOptions {
  readonly lr: number;
  /** Read the loss back (default true). Without it nothing comes back from the GPU. */
  readonly readLoss?: boolean;
  /** Read the pre-clipping gradient norm back (artifacts with clipping only). Default false. */
  readonly readGradNorm?: boolean;
  /** Read the raw (unclipped) gradients back, by trainable input name (artifacts built with gradients only). */
  readonly readGradients?: boolean;
}

export interface StepResult {
  /** The 1-based number of this update. */
  readonly step: number;
  readonly loss: Promise<number> | null;
  readonly gradNorm: Promise<number> | null;
  readonly gradients: Promise<Map<string, StateData>> | null;
}

export interface EvaluateResult {
  readonly loss: number;
  readonly logits?: Float32Array | Float64Array;
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

  /** The device this trainer's sessions and tensors live on (captured when its session was made). */
  private readonly watch: DeviceWatch;

  private constructor(
    readonly backend: Backend,
    readonly manifest: ArtifactsManifest,
    private readonly trainSession: OrtSession,
    private readonly forwardOnnx: Uint8Array,
  ) {
    this.completed = manifest.state.step;
    this.watch = backend.watch();
  }

  /** Creates the train-step session and uploads the state and (placement 'inputs') the base weights. */
  static async create(backend: Backend, artifacts: Omit<TrainingArtifacts, 'stats'>): Promise<Trainer> {
    const m = artifacts.manifest;
    if (backend.ep === 'webgpu' && m.dtype !== 'float32') throw new BackendError('WebGPU runs float32 artifacts only');
    const resident = [
      m.trainStep.loss,
      ...Object.keys(m.trainStep.updates),
      ...(m.trainStep.gradNorm ? [m.trainStep.gradNorm] : []),
      ...Object.keys(m.trainStep.gradients ?? {}),
    ];
    const session = await backend.createSession(artifacts.trainStepOnnx, { residentOutputs: resident, ...optimization(m) });
    const trainer = new Trainer(backend, m, session, artifacts.forwardOnnx);
    try {
      const specs = [...m.trainStep.trainable, ...m.trainStep.optimizerState];
      for (const s of specs) trainer.state.set(s.name, backend.resident(host(s, artifacts.state.get(s.name), 'state')));
      if (m.weights.placement === 'inputs') {
        for (const s of m.weights.tensors) trainer.weights.set(s.name, backend.resident(host(s, artifacts.weights.get(s.name), 'weights')));
      }
    } catch (error) {
      await trainer.dispose();
      throw error;
    }
    return trainer;
  }

  /** Updates completed so far (the manifest's state.step plus the steps run here). */
  get completedSteps(): number {
    return this.completed;
  }

  /** Queues one AdamW update on `batch`. */
  step(batch: Batch, options: StepOptions): Promise<StepResult> {
    return this.exclusive(async () => {
      const m = this.manifest.trainStep;
      const number = this.completed + 1;
      const scalarOf = (value: number) => this.backend.host({ dtype: this.manifest.dtype, shape: [], data: this.floats([value]) });
      const feeds: Record<string, OrtTensor> = { ...this.batchFeeds(batch), ...Object.fromEntries(this.state), ...Object.fromEntries(this.weights) };
      feeds[m.lr] = scalarOf(options.lr);
      feeds[m.step] = scalarOf(number);
      const fetches = [m.loss, ...Object.keys(m.updates)];
      const readGradNorm = (options.readGradNorm ?? false) && m.gradNorm !== null;
      if (readGradNorm) fetches.push(m.gradNorm!);
      if (options.readGradients && m.gradients === null) throw new TrainerError('these artifacts have no gradient outputs (build them with gradients)');
      const gradientOutputs = options.readGradients ? Object.keys(m.gradients!) : [];
      fetches.push(...gradientOutputs);
      const out = await this.watch.guard(this.trainSession.run(feeds, fetches));
      for (const [output, input] of Object.entries(m.updates)) {
        this.state.get(input)?.dispose();
        this.state.set(input, out[output]!);
      }
      this.completed = number;
      const read = (name: string, wanted: boolean): Promise<number> | null => {
        const t = out[name]!;
        if (!wanted) {
          t.dispose();
          return null;
        }
        const value = this.watch.guard(scalar(t));
        value.catch(() => undefined); // a caller that never awaits it must not see an unhandled rejection
        return value;
      };
      let gradients: Promise<Map<string, StateData>> | null = null;
      if (gradientOutputs.length > 0) {
        gradients = this.watch.guard(
          Promise.all(gradientOutputs.map(async (name) => [m.gradients![name]!, (await out[name]!.getData(true)) as StateData] as const)).then((e) => new Map(e)),
        );
        gradients.catch(() => undefined);
      }
      return { step: number, loss: read(m.loss, options.readLoss ?? true), gradNorm: readGradNorm ? read(m.gradNorm!, true) : null, gradients };
    });
  }

  /** Loss (and logits) of the forward graph on `batch` with the current trainable tensors. */
  evaluate(batch: Batch, options: { logits?: boolean } = {}): Promise<EvaluateResult> {
    return this.exclusive(async () => {
      const f = this.manifest.forward;
      this.forwardSession ??= this.backend.createSession(this.forwardOnnx, optimization(this.manifest));
      const session = await this.watch.guard(this.forwardSession);
      const feeds: Record<string, OrtTensor> = { ...this.batchFeeds(batch), ...Object.fromEntries(this.weights) };
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
      for (const [name, t] of this.state) out.set(name, (await this.watch.guard(t.getData())) as StateData);
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
    for (const t of [...this.state.values(), ...this.weights.values()]) t.dispose();
    this.state.clear();
    this.weights.clear();
    const forward = this.forwardSession;
    this.forwardSession = null;
    await this.trainSession.release().catch(() => undefined);
    if (forward) await forward.then((s) => s.release()).catch(() => undefined);
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

  private batchFeeds(batch: Batch): Record<string, OrtTensor> {
    const { size: b, seqLen: t } = this.manifest.batch;
    if (batch.batchSize !== b || batch.seqLen !== t) {
      throw new TrainerError(`the batch is ${batch.batchSize} x ${batch.seqLen}, these artifacts take ${b} x ${t}`);
    }
    const dtype = this.manifest.dtype;
    const float = (data: Float32Array | Float64Array, name: string): HostTensor => {
      const want = dtype === 'float64' ? Float64Array : Float32Array;
      if (!(data instanceof want)) throw new TrainerError(`batch ${name} must be ${dtype}`);
      return { dtype, shape: [b, t], data };
    };
    return {
      input_ids: this.backend.host({ dtype: 'int64', shape: [b, t], data: batch.input_ids }),
      attention_mask: this.backend.host(float(batch.attention_mask, 'attention_mask')),
      labels: this.backend.host(float(batch.labels, 'labels')),
      loss_mask: this.backend.host(float(batch.loss_mask, 'loss_mask')),
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
