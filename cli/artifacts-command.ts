import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactFiles } from '../src/models/artifact-files.ts';
import { buildTrainingArtifacts } from '../src/models/artifacts.ts';
import { sampleBatch } from '../src/models/batch.ts';
import { oneOf, parseFlags, positiveNumber, required } from './args.ts';
import { decimal } from './format.ts';
import { modelFlagOptions, parseModelFlags } from './model-flags.ts';
import { readWeights } from './model-source.ts';

export const artifactsUsage = `fiat artifacts --config <config.json> [--weights <model.safetensors>[,<shard>...]]
               --lora r=8,alpha=16,targets=q,k,v,o,gate,up,down --batch B --seq T --out DIR
               [--dtype float32|float64] [--with-grads] [--weights-placement inputs|initializers]
               [--max-grad-norm N|none] [--seed N] [--loss-chunk-mib N] [--no-sum-split]
  Writes forward.onnx, train-step.onnx, state.safetensors, manifest.json, a sample batch.safetensors and,
  with weights as inputs (the default), weights.safetensors. The train step computes its loss in row chunks of
  at most --loss-chunk-mib MiB of logits each (default 256). --no-sum-split: no product with few GPU tiles for
  a long sum is cut into partial products (the same values, fewer and longer kernels).`;

export function artifactsCommand(argv: readonly string[], log: (line: string) => void): void {
  const flags = parseFlags(argv, {
    ...modelFlagOptions,
    dtype: { type: 'string' },
    'with-grads': { type: 'boolean' },
    'max-grad-norm': { type: 'string' },
    out: { type: 'string' },
  });
  const { config, lora, batchSize, seqLen, seed, lossChunkBytes, splitSums } = parseModelFlags(flags);
  const dtype = oneOf(flags.dtype, '--dtype', ['float32', 'float64'], 'float32');
  const placement = oneOf(flags['weights-placement'], '--weights-placement', ['inputs', 'initializers'], 'inputs');
  const maxGradNorm = flags['max-grad-norm'] === 'none' ? null : positiveNumber(flags['max-grad-norm'], '--max-grad-norm', 1);
  const out = required(flags.out, '--out');
  const { weights, source } = readWeights(config, flags.weights, seed);
  const artifacts = buildTrainingArtifacts({
    config,
    lora,
    batchSize,
    seqLen,
    dtype,
    weights,
    weightsPlacement: placement,
    seed,
    maxGradNorm,
    withGradients: flags['with-grads'] ?? false,
    lossChunkBytes,
    splitSums,
  });
  const files = artifactFiles(artifacts, sampleBatch({ batchSize, seqLen, vocabSize: config.vocabSize, seed, dtype }));
  mkdirSync(out, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(out, name), bytes);
  log(`${config.architecture}, base weights ${source}; LoRA r=${lora.r} alpha=${lora.alpha} on ${lora.targets.join(',')}; ${batchSize} x ${seqLen} ${dtype}`);
  const { trainStepNodes, trainStepKernels, trainStepProductFlops, trainStepKernelBytes } = artifacts.stats;
  log(`  train step: ${trainStepNodes} nodes, ${trainStepKernels} of them kernels (not Reshape)`);
  log(`  its work: ${decimal(trainStepProductFlops, 'FLOP')} in products (MatMul, Gemm), ${decimal(trainStepKernelBytes, 'B')} read and written by kernels`);
  for (const [name, bytes] of files) log(`  ${join(out, name)}  ${(bytes.byteLength / 1e6).toFixed(2)} MB`);
}
