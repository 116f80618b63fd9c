// The inference graphs (src/models/inference.ts) against the PyTorch reference fixtures' logits: the scoring graph's
// token log-probabilities equal log_softmax(logits)[labels], and a prefill in chunks then a decode token by token
// through the KV cache gives each position's logits, within 1e-11 relative in float64 and 1e-4 in float32, on
// onnxruntime-node and onnxruntime-web's WASM EP. The fixtures' batch has right padding (row 2 is shorter).
import { beforeAll, describe, expect, test } from 'vitest';
import {
  buildDecodeGraph,
  buildScoringGraph,
  LOGITS_OUTPUT,
  packedAdapter,
  pastKey,
  pastValue,
  presentKey,
  presentValue,
  TOKEN_LOGPROBS_OUTPUT,
} from '../../../src/models/inference.ts';
import { frozenTensors } from '../../../src/models/frozen-layout.ts';
import type { Backend } from '../../../src/runtime/backend.ts';
import type { OrtTensor } from '../../../src/runtime/ort.ts';
import { cpuBackend, cpuBackends } from '../../support/engine-backends.ts';
import { FIXTURES, loadFixture, type Fixture } from '../../support/fixtures.ts';
import { relativeError } from '../../support/relative-error.ts';

const cases = [
  { dtype: 'float32', tol: 1e-4 },
  { dtype: 'float64', tol: 1e-11 },
] as const;

type DType = (typeof cases)[number]['dtype'];

function floats(dtype: DType, values: ArrayLike<number>): Float32Array | Float64Array {
  return dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
}

/** log_softmax(logits [B, T, V])[labels] where mask is 1, else 0, in float64. */
function referenceLogProbs(logits: Float64Array, labels: ArrayLike<number>, mask: ArrayLike<number>, v: number): Float64Array {
  const rows = labels.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    if (mask[r] === 0) continue;
    const row = logits.subarray(r * v, (r + 1) * v);
    let max = -Infinity;
    for (const x of row) max = Math.max(max, x);
    let z = 0;
    for (const x of row) z += Math.exp(x - max);
    out[r] = row[labels[r]!]! - max - Math.log(z);
  }
  return out;
}

for (const ep of cpuBackends) {
  describe(`${ep} backend`, () => {
    let backend: Backend;
    beforeAll(() => {
      backend = cpuBackend(ep);
    });

    for (const name of FIXTURES) {
      const fixture: Fixture = loadFixture(name);
      for (const { dtype, tol } of cases) {
        const optimization = dtype === 'float64' ? { optimization: 'basic' as const } : {};
        const adapter = (d: DType) => packedAdapter(fixture.config, fixture.lora, fixture.adapter, d);
        const expected = () => (dtype === 'float32' ? fixture.expected : fixture.expected64).float64('logits');

        test(`${name} ${dtype}: the scoring graph's token log-probabilities equal log_softmax of PyTorch's logits (head in 3 chunks)`, async () => {
          const batch = fixture.batch(dtype);
          const v = fixture.config.vocabSize;
          const graph = buildScoringGraph({ config: fixture.config, lora: fixture.lora, batchSize: batch.batchSize, seqLen: batch.seqLen, dtype }, fixture.weights, {
            weightsAsInputs: false,
            chunkBytes: 6 * v * (dtype === 'float64' ? 8 : 4),
          });
          const session = await backend.createSession(graph.onnx, optimization);
          try {
            const shape = [batch.batchSize, batch.seqLen];
            const out = await session.run({
              input_ids: backend.host({ dtype: 'int64', shape, data: batch.input_ids }),
              attention_mask: backend.host({ dtype, shape, data: batch.attention_mask }),
              labels: backend.host({ dtype, shape, data: batch.labels }),
              loss_mask: backend.host({ dtype, shape, data: batch.loss_mask }),
              adapter: backend.host({ dtype, shape: [adapter(dtype).length], data: adapter(dtype) }),
            });
            const got = (await out[TOKEN_LOGPROBS_OUTPUT]!.getData()) as Float32Array | Float64Array;
            const want = referenceLogProbs(expected(), batch.labels, batch.loss_mask, v);
            const error = relativeError(got, want);
            console.log(`${ep} ${name} ${dtype} scoring: ${error.toExponential(2)}`);
            expect(error).toBeLessThan(tol);
          } finally {
            await session.release();
          }
        });

        test(`${name} ${dtype}: prefill in chunks of 3 and decode one token at a time through the KV cache give PyTorch's logits at every position`, async () => {
          const batch = fixture.batch(dtype);
          const { config } = fixture;
          const v = config.vocabSize;
          const t = batch.seqLen;
          const c = t + 2; // room the sequence does not fill: positions past its end stay masked
          const kv = config.numKeyValueHeads;
          const d = config.headDim;
          const spec = { config, lora: fixture.lora, batchSize: 1, cacheLength: c, dtype };
          const sessions = new Map<number, Awaited<ReturnType<Backend['createSession']>>>();
          for (const k of [3, 1]) sessions.set(k, await backend.createSession(buildDecodeGraph({ ...spec, length: k }, fixture.weights, { weightsAsInputs: false }).onnx, optimization));
          try {
            const logits = expected();
            for (let row = 0; row < batch.batchSize; row++) {
              let length = 0;
              while (length < t && batch.attention_mask[row * t + length] === 1) length++;
              const ids = Array.from(batch.input_ids.subarray(row * t, row * t + length), Number);
              let cache = new Map<string, OrtTensor>();
              for (let layer = 0; layer < config.numHiddenLayers; layer++) {
                cache.set(pastKey(layer), backend.host({ dtype, shape: [1, kv, d, c], data: floats(dtype, new Float64Array(kv * d * c)) }));
                cache.set(pastValue(layer), backend.host({ dtype, shape: [1, kv, c, d], data: floats(dtype, new Float64Array(kv * d * c)) }));
              }
              // The first 5 tokens in chunks of 3 (the second padded), the rest one at a time.
              const runs: { start: number; k: number; real: number }[] = [
                { start: 0, k: 3, real: Math.min(3, length) },
                { start: 3, k: 3, real: Math.min(2, length - 3) },
              ];
              for (let p = 5; p < length; p++) runs.push({ start: p, k: 1, real: 1 });
              let worst = 0;
              for (const run of runs.filter((r) => r.real > 0)) {
                const k = run.k;
                const tokens = Array.from({ length: k }, (_, i) => (i < run.real ? ids[run.start + i]! : 0));
                const positions = Array.from({ length: k }, (_, i) => run.start + i);
                const last = Array.from({ length: k }, (_, i) => (i === run.real - 1 ? 1 : 0));
                const out = await sessions.get(k)!.run({
                  input_ids: backend.host({ dtype: 'int64', shape: [1, k], data: BigInt64Array.from(tokens.map(BigInt)) }),
                  position_ids: backend.host({ dtype: 'int64', shape: [1, k], data: BigInt64Array.from(positions.map(BigInt)) }),
                  positions: backend.host({ dtype, shape: [1, k], data: floats(dtype, positions) }),
                  last_mask: backend.host({ dtype, shape: [1, k], data: floats(dtype, last) }),
                  adapter: backend.host({ dtype, shape: [adapter(dtype).length], data: adapter(dtype) }),
                  ...Object.fromEntries(cache),
                });
                const position = run.start + run.real - 1;
                const want = logits.subarray((row * t + position) * v, (row * t + position + 1) * v);
                worst = Math.max(worst, relativeError((await out[LOGITS_OUTPUT]!.getData()) as Float32Array | Float64Array, want));
                const next = new Map<string, OrtTensor>();
                for (let layer = 0; layer < config.numHiddenLayers; layer++) {
                  next.set(pastKey(layer), out[presentKey(layer)]!);
                  next.set(pastValue(layer), out[presentValue(layer)]!);
                }
                cache = next;
              }
              console.log(`${ep} ${name} ${dtype} decode row ${row} (${length} tokens): ${worst.toExponential(2)}`);
              expect(worst).toBeLessThan(tol);
            }
          } finally {
            for (const s of sessions.values()) await s.release();
          }
        });
      }
    }
  });
}

test('the decode graph reads only the forward layouts of the frozen weights', () => {
  const fixture = loadFixture('tiny-qwen3');
  const graph = buildDecodeGraph({ config: fixture.config, lora: fixture.lora, batchSize: 1, length: 1, cacheLength: 4 }, undefined, { weightsAsInputs: true });
  const forward = frozenTensors(fixture.config, 'per-step').map((t) => t.name);
  expect(graph.weightInputs.length).toBeGreaterThan(0);
  for (const name of graph.weightInputs) expect(forward).toContain(name);
});
