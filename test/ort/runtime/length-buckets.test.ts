// Length buckets on onnxruntime-node and onnxruntime-web WASM: a Trainer whose batches are padded only to the
// smallest bucket holding their longest row (8, 16 or 32 here) makes the updates of one whose batches are all padded
// to the artifacts' 32 positions: the same losses, adapter and AdamW moments, step after step, on the PyTorch tiny
// fixtures' weights and adapters. Fused steps whose batches fall in every bucket (and back), and accumulated steps
// whose micro-batches fall in different buckets within one step; float64 to rounding, float32 as on WebGPU.
import { describe, expect, test } from 'vitest';
import { buildStepGraphs, buildTrainingArtifacts, type ArtifactsOptions } from '../../../src/models/artifacts.ts';
import { packMicroBatches, type Batch, type TokenSequence } from '../../../src/models/batch.ts';
import { SeededRandom } from '../../../src/models/random.ts';
import type { Backend } from '../../../src/runtime/backend.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { cpuBackend, cpuBackends } from '../../support/engine-backends.ts';
import { loadFixture, type FixtureName } from '../../support/fixtures.ts';
import { relativeError } from '../../support/relative-error.ts';

const seqLen = 32;
const buckets = [8, 16, 32];

/** Row lengths by size class: every row of a class falls in the bucket of that class. */
const classes = { short: [3, 8], medium: [9, 16], long: [17, 32] } as const;
type SizeClass = keyof typeof classes;

function rows(sizes: readonly SizeClass[], vocabSize: number, seed: number): TokenSequence[] {
  const random = new SeededRandom(seed);
  return sizes.map((size) => {
    const [lo, hi] = classes[size];
    const length = lo + Math.floor(random.uniform() * (hi - lo + 1));
    return { tokens: Array.from({ length }, () => Math.floor(random.uniform() * vocabSize)), promptLength: 1 + Math.floor(random.uniform() * (length - 2)) };
  });
}

interface Case {
  readonly fixture: FixtureName;
  readonly dtype: 'float32' | 'float64';
  /** Rows per micro-batch; fewer than a step's rows: accumulation. */
  readonly micro: number;
  /** Each step's rows by size class. */
  readonly steps: readonly (readonly SizeClass[])[];
  /** The lengths each step's micro-batches are padded to with buckets (what the case exercises). */
  readonly lengths: readonly (readonly number[])[];
  readonly placement: 'inputs' | 'initializers';
}

const cases: Case[] = [
  {
    fixture: 'tiny-llama',
    dtype: 'float64',
    micro: 3,
    steps: [['short', 'short', 'short'], ['short', 'medium', 'short'], ['long', 'short', 'medium'], ['short', 'short'], ['medium', 'medium', 'short']],
    lengths: [[8], [16], [32], [8], [16]],
    placement: 'initializers',
  },
  {
    fixture: 'tiny-llama',
    dtype: 'float32',
    micro: 3,
    steps: [['short', 'short', 'short'], ['short', 'medium', 'short'], ['long', 'short', 'medium'], ['short', 'short'], ['medium', 'medium', 'short']],
    lengths: [[8], [16], [32], [8], [16]],
    placement: 'inputs',
  },
  {
    fixture: 'tiny-qwen3',
    dtype: 'float64',
    micro: 2,
    steps: [['short', 'short', 'long', 'medium'], ['medium', 'short', 'short', 'short'], ['long', 'long', 'short', 'short'], ['short', 'medium', 'short']],
    lengths: [[8, 32], [16, 8], [32, 8], [16, 8]],
    placement: 'inputs',
  },
  {
    fixture: 'tiny-qwen2',
    dtype: 'float32',
    micro: 2,
    steps: [['short', 'short', 'long', 'medium'], ['medium', 'short', 'short', 'short'], ['long', 'long', 'short', 'short']],
    lengths: [[8, 32], [16, 8], [32, 8]],
    placement: 'initializers',
  },
];

/** The two runs' worst relative difference: losses step by step, then the state (adapter and AdamW moments). */
async function compare(backend: Backend, c: Case): Promise<{ worst: number; made: number[]; positions: [number, number] }> {
  const f = loadFixture(c.fixture);
  const batchSize = Math.max(...c.steps.map((s) => s.length));
  const options: ArtifactsOptions = {
    config: f.config,
    lora: f.lora,
    batchSize: c.micro,
    seqLen,
    dtype: c.dtype,
    weights: f.weights,
    weightsPlacement: c.placement,
    adapter: f.adapter,
    adamw: { weightDecay: 0.1 },
    // Small enough that some steps are clipped: the gradient norm must be the same too.
    maxGradNorm: 0.5,
    accumulation: c.micro < batchSize,
  };
  const artifacts = buildTrainingArtifacts(options);
  const padded = await Trainer.create(backend, artifacts);
  const bucketed = await Trainer.create(backend, artifacts, { lengthBuckets: { lengths: buckets, graphs: (l) => buildStepGraphs(options, l) } });
  const positions: [number, number] = [0, 0];
  const size = (batches: readonly Batch[]) => batches.reduce((sum, b) => sum + b.batchSize * b.seqLen, 0);
  let worst = 0;
  try {
    expect(bucketed.lengths).toEqual(buckets);
    expect(bucketed.madeLengths()).toEqual([seqLen]);
    for (const [i, sizes] of c.steps.entries()) {
      const sequences = rows(sizes, f.config.vocabSize, 10 + i);
      const pack = (b?: readonly number[]) => packMicroBatches(sequences, { microBatchSize: c.micro, seqLen, dtype: c.dtype, ...(b ? { buckets: b } : {}) });
      const [whole, short] = [pack(), pack(buckets)];
      expect(short.map((b) => b.seqLen)).toEqual(c.lengths[i]);
      positions[0] += size(whole);
      positions[1] += size(short);
      const lr = [1e-2, 3e-2, 2e-2, 5e-3, 1e-2][i]!;
      const a = await padded.step(whole.length === 1 ? whole[0]! : whole, { lr, readGradNorm: true });
      const b = await bucketed.step(short.length === 1 ? short[0]! : short, { lr, readGradNorm: true });
      worst = Math.max(worst, relativeError([(await b.loss)!, (await b.gradNorm)!], [(await a.loss)!, (await a.gradNorm)!]));
    }
    const [stateA, stateB] = [await padded.readState(), await bucketed.readState()];
    for (const [name, data] of stateA) worst = Math.max(worst, relativeError(stateB.get(name)!, data));
    return { worst, made: bucketed.madeLengths(), positions };
  } finally {
    await padded.dispose();
    await bucketed.dispose();
  }
}

for (const ep of cpuBackends) {
  describe(`${ep} backend`, () => {
    for (const c of cases) {
      const kind = c.micro < Math.max(...c.steps.map((s) => s.length)) ? 'accumulated steps (micro-batches of different buckets)' : 'fused steps';
      test(`${c.fixture}, ${c.dtype}, ${kind}: bucketed batches make the padded run's losses and state`, async () => {
        const { worst, made, positions } = await compare(cpuBackend(ep), c);
        console.log(`${ep} ${c.fixture} ${c.dtype} ${kind}: worst relative error ${worst.toExponential(2)}, positions ${positions[1]} instead of ${positions[0]}`);
        expect(worst).toBeLessThan(c.dtype === 'float64' ? 1e-10 : 1e-5);
        expect(positions[1]).toBeLessThan(positions[0] * 0.75);
        // A fused run makes train-step sessions at the lengths it used; an accumulated one makes accumulate sessions only.
        expect(made).toEqual(c.micro === 3 ? buckets : [seqLen]);
      });
    }

    test('a batch at a length that is no bucket is refused, and the step changes nothing', async () => {
      const f = loadFixture('tiny-llama');
      const options: ArtifactsOptions = { config: f.config, lora: f.lora, batchSize: 2, seqLen, dtype: 'float64', weights: f.weights, adapter: f.adapter };
      const trainer = await Trainer.create(cpuBackend(ep), buildTrainingArtifacts(options), { lengthBuckets: { lengths: [8, 16], graphs: (l) => buildStepGraphs(options, l) } });
      try {
        const batch = packMicroBatches(rows(['short', 'medium'], f.config.vocabSize, 3), { microBatchSize: 2, seqLen: 24, dtype: 'float64' })[0]!;
        await expect(trainer.step(batch, { lr: 1e-2 })).rejects.toThrow('the batch is 2 x 24, these artifacts take 2 x 8 | 16 | 32');
        // Evaluation runs the forward graph, at the artifacts' length only.
        const short = packMicroBatches(rows(['short'], f.config.vocabSize, 4), { microBatchSize: 2, seqLen, buckets: [8], dtype: 'float64' })[0]!;
        await expect(trainer.evaluate(short)).rejects.toThrow('the batch is 2 x 8, these artifacts take 2 x 32');
        expect(trainer.completedSteps).toBe(0);
        expect(trainer.madeLengths()).toEqual([seqLen]);
      } finally {
        await trainer.dispose();
      }
    });
  });
}
