import type { Batch } from '../models/batch.ts';
import type { Accumulation, ArtifactsManifest } from '../models/manifest.ts';
import type { Backend } from './backend.ts';
import type { DeviceWatch } from './device-watch.ts';
import type { OrtSession, OrtTensor } from './ort.ts';
import { sizeOf } from '../graph/shape.ts';

/**
 * The apply session of gradient accumulation (manifest.accumulation; graph/optim/packed-accumulation.ts) and the run
 * of the accumulate graph over the micro-batches of one optimizer step, each micro-batch on the accumulate session of
 * its length (step-sessions.ts: one per length bucket, all reading the same adapter and adding to the same sums, so
 * micro-batches of different lengths make one step). The Trainer owns the state and runs `apply`.
 *
 * The running sums start from zeros uploaded once (resident: GPU buffers on WebGPU) and never overwritten, since a
 * run writes its outputs to new tensors; each micro-batch's sums are the next one's inputs, and the sums it
 * replaces are disposed. Neither session is captured (graph capture is for the fused step only).
 */
export class AccumulationSessions {
  private constructor(
    readonly spec: Accumulation,
    readonly apply: OrtSession,
    /** Zeros by running-sum input name. */
    private readonly zeros: ReadonlyMap<string, OrtTensor>,
  ) {}

  static async create(backend: Backend, manifest: ArtifactsManifest, applyOnnx: Uint8Array, settings: { optimization: 'basic' | 'all' }): Promise<AccumulationSessions> {
    const a = manifest.accumulation!;
    const sums = runningSums(a);
    const made: OrtSession[] = [];
    const zeros = new Map<string, OrtTensor>();
    try {
      const applyOutputs = [...Object.keys(a.apply.updates), ...(a.apply.gradNorm === null ? [] : [a.apply.gradNorm])];
      made.push(await backend.createSession(applyOnnx, { residentOutputs: applyOutputs, ...settings }));
      const shapes = new Map(manifest.trainStep.trainable.map((t) => [t.name, t.shape]));
      for (const s of sums) {
        const shape = s.of === null ? [] : shapes.get(s.of)!;
        const data = manifest.dtype === 'float64' ? new Float64Array(sizeOf(shape)) : new Float32Array(sizeOf(shape));
        zeros.set(s.input, backend.resident({ dtype: manifest.dtype, shape, data }));
      }
    } catch (error) {
      for (const t of zeros.values()) t.dispose();
      await Promise.all(made.map((s) => s.release().catch(() => undefined)));
      throw error;
    }
    return new AccumulationSessions(a, made[0]!, zeros);
  }

  /**
   * Runs the accumulate graph once per batch, in order, from zero sums, on `session(batch)`; `feeds(batch)` gives
   * everything but the sums (the batch, trainables, weights, loss denominator). Resolves with the final sums by input name, which the
   * caller owns; on failure disposes what it made and rejects.
   */
  async run(
    batches: readonly Batch[],
    session: (batch: Batch) => Promise<OrtSession>,
    feeds: (batch: Batch) => Record<string, OrtTensor>,
    watch: DeviceWatch,
  ): Promise<Map<string, OrtTensor>> {
    const sums = runningSums(this.spec);
    let current = new Map(this.zeros);
    const owned = () => [...current.values()].filter((t) => ![...this.zeros.values()].includes(t));
    try {
      for (const batch of batches) {
        const accumulate = await watch.guard(session(batch));
        const out = await watch.guard(accumulate.run({ ...feeds(batch), ...Object.fromEntries(current) }, sums.map((s) => s.output)));
        for (const t of owned()) t.dispose();
        current = new Map(sums.map((s) => [s.input, out[s.output]!]));
      }
    } catch (error) {
      for (const t of owned()) t.dispose();
      throw error;
    }
    return current;
  }

  async release(): Promise<void> {
    for (const t of this.zeros.values()) t.dispose();
    await this.apply.release().catch(() => undefined);
  }
}

/** The outputs of the accumulate graph, all kept on the device (its sessions' residentOutputs). */
export function accumulateOutputs(a: Accumulation): string[] {
  return runningSums(a).map((s) => s.output);
}

/** The running sums: the loss (of null) and one gradient per trainable. */
function runningSums(a: Accumulation): { input: string; output: string; of: string | null }[] {
  return [{ ...a.accumulate.lossSum, of: null }, ...a.accumulate.gradientSums];
}

/**
 * The divisor of every micro-batch's loss: the completion-token count of the whole batch, at least 1, as the fused
 * step's max(sum(loss_mask), 1) over one batch.
 */
export function lossDenominator(batches: readonly Batch[]): number {
  let tokens = 0;
  for (const b of batches) for (const v of b.loss_mask) tokens += v;
  return Math.max(tokens, 1);
}
