import type { StepGraphs } from '../models/artifacts.ts';
import type { Backend, SessionSettings } from './backend.ts';
import type { OrtSession } from './ort.ts';

/**
 * Length buckets of a Trainer (TrainerOptions.lengthBuckets): the sequence lengths a step's batches may have besides
 * the artifacts' own (manifest.batch.seqLen), and how to build the step's graphs at one of them (models/artifacts.ts
 * buildStepGraphs from the artifacts' options: the same inputs and outputs by name, so every length's sessions read
 * and update the one state).
 */
export interface LengthBuckets {
  readonly lengths: readonly number[];
  graphs(seqLen: number): StepGraphs;
}

/** A bucket's sessions, each made at its first use. */
interface Bucket {
  train: Promise<OrtSession> | null;
  accumulate: Promise<OrtSession> | null;
}

/**
 * The train-step and accumulate sessions of each length bucket (the Trainer's), made lazily: a bucket no batch falls
 * in costs nothing. The artifacts' own length has its train step from the start (Trainer.create). A failed creation
 * is tried again at the next use. The apply graph reads no batch, so it is one session for all lengths
 * (accumulation.ts).
 */
export class StepSessions {
  /** Every length a step's batch may have, ascending; the artifacts' own is the last. */
  readonly lengths: readonly number[];
  private readonly buckets = new Map<number, Bucket>();

  constructor(
    private readonly backend: Backend,
    private readonly own: { readonly seqLen: number; readonly graphs: StepGraphs; readonly train: OrtSession },
    private readonly settings: { readonly train: SessionSettings; readonly accumulate: SessionSettings },
    private readonly others: LengthBuckets | null,
  ) {
    const lengths = new Set([...(others?.lengths ?? []).filter((l) => l < own.seqLen), own.seqLen]);
    this.lengths = [...lengths].sort((a, b) => a - b);
    for (const l of this.lengths) this.buckets.set(l, { train: l === own.seqLen ? Promise.resolve(own.train) : null, accumulate: null });
  }

  /** The train-step session for batches of `seqLen` positions (one of `lengths`). */
  train(seqLen: number): Promise<OrtSession> {
    const bucket = this.bucket(seqLen);
    bucket.train ??= this.make(seqLen, 'train', () => this.graphs(seqLen).trainStepOnnx);
    return bucket.train;
  }

  /** The accumulate session for micro-batches of `seqLen` positions; artifacts built with accumulation only. */
  accumulate(seqLen: number): Promise<OrtSession> {
    const bucket = this.bucket(seqLen);
    bucket.accumulate ??= this.make(seqLen, 'accumulate', () => {
      const graphs = this.graphs(seqLen).accumulation;
      if (graphs === null) throw new Error(`the step graphs at length ${seqLen} have no accumulation graphs`);
      return graphs.accumulateOnnx;
    });
    return bucket.accumulate;
  }

  /** The lengths whose train-step session has been made (or is being made). */
  trainLengths(): number[] {
    return this.lengths.filter((l) => this.buckets.get(l)!.train !== null);
  }

  /** Releases every session made; safe to call twice. */
  async release(): Promise<void> {
    const made = [...this.buckets.values()].flatMap((b) => [b.train, b.accumulate]).filter((s) => s !== null);
    for (const b of this.buckets.values()) b.train = b.accumulate = null;
    await Promise.all(made.map((s) => s.then((session) => session.release()).catch(() => undefined)));
  }

  private bucket(seqLen: number): Bucket {
    const bucket = this.buckets.get(seqLen);
    if (bucket === undefined) throw new Error(`no length bucket of ${seqLen} (lengths: ${this.lengths.join(', ')})`);
    return bucket;
  }

  private graphs(seqLen: number): StepGraphs {
    if (seqLen === this.own.seqLen) return this.own.graphs;
    return this.others!.graphs(seqLen);
  }

  private make(seqLen: number, kind: 'train' | 'accumulate', onnx: () => Uint8Array): Promise<OrtSession> {
    const made = Promise.resolve()
      .then(() => this.backend.createSession(onnx(), this.settings[kind]));
    made.catch(() => (this.bucket(seqLen)[kind] = null));
    return made;
  }
}
