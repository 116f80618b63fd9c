// What onnxruntime does to our train step under the backends' session options: the graph optimizer must not
// turn a linear layer's MatMul + Add (Qwen2's q/k/v bias, the LoRA branch, a gradient sum) back into a Gemm
// (backend-contract.ts: the WebGPU Gemm kernel is several times slower). Checked on onnxruntime-node's CPU EP, whose
// optimized model can be saved, at level 'basic' (at 'all' the CPU EP first fuses Transpose + MatMul into
// FusedMatMul, which hides the pattern; the JSEP profile in bench/engine/gpu shows the WebGPU side).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { afterAll, expect, test } from 'vitest';
import { ModelProtoSchema } from '../../../src/graph/onnx/gen/onnx_pb.ts';
import { buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { parseLoraSpec } from '../../../src/models/lora.ts';
import { baseOptions } from '../../../src/runtime/backend.ts';
import { tinyQwen2Config } from '../../support/tiny-models.ts';

const dir = mkdtempSync(join(tmpdir(), 'fiat-session-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const artifacts = buildTrainingArtifacts({
  config: tinyQwen2Config,
  lora: parseLoraSpec({ r: 4, alpha: 8, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] }),
  batchSize: 2,
  seqLen: 6,
  weights: randomBaseWeights(tinyQwen2Config, 1),
});

/** Op type counts of the model as onnxruntime optimized it. */
async function optimizedOps(options: ort.InferenceSession.SessionOptions): Promise<Record<string, number>> {
  const path = join(dir, `optimized-${Object.keys(options.extra ?? {}).length}.onnx`);
  const session = await ort.InferenceSession.create(artifacts.trainStepOnnx, { ...options, optimizedModelFilePath: path });
  await session.release();
  return opCounts(readFileSync(path));
}

function opCounts(model: Uint8Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of fromBinary(ModelProtoSchema, model).graph!.node) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  return counts;
}

test('no MatMul is fused into a Gemm under the backends options; without them onnxruntime would', async () => {
  const emitted = opCounts(artifacts.trainStepOnnx);
  const ours = baseOptions('node', { optimization: 'basic' }, {});
  const kept = await optimizedOps(ours);
  expect([kept['MatMul'], kept['Gemm']]).toEqual([emitted['MatMul'], emitted['Gemm']]);
  const fused = await optimizedOps({ ...ours, extra: {} });
  expect(fused['MatMul']!).toBeLessThan(emitted['MatMul']!);
  expect(fused['Gemm']! - emitted['Gemm']!).toBe(emitted['MatMul']! - fused['MatMul']!);
});
