// The CLI end to end (in-process): `fiat artifacts` writes files the runtime loads and trains from;
// `fiat bench` reports throughput on the CPU backends; bad flags exit 2 with a message naming the flag.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from '../../support/cli-run.ts';
import { readArtifactFiles } from '../../../src/models/artifact-files.ts';
import { unpackAdapter } from '../../../src/models/manifest.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { cpuBackend } from '../../support/engine-backends.ts';
import { loadFixture } from '../../support/fixtures.ts';
import { relativeError } from '../../support/relative-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'fiat-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (file: string) => `test/fixtures/tiny-llama/${file}`;

const run = runCli;

test('fiat artifacts --with-grads on the fixture: the written train step reproduces the PyTorch gradients', async () => {
  const out = join(dir, 'tiny-llama');
  const argv = [
    'artifacts', '--config', fixture('config.json'), '--weights', fixture('model.safetensors'),
    '--lora', 'r=4,alpha=8,targets=q,k,v,o,gate,up,down', '--batch', '2', '--seq', '8', '--with-grads', '--out', out,
  ];
  const kernels = (lines: string[]) => Number(/(\d+) of them kernels/.exec(lines.join('\n'))?.[1]);
  const oneChunk = await run(argv);
  // 0.002 MiB holds 5 rows of 96 float32 logits: the loss in 4 chunks of 4 rows, ~20 kernels each.
  const { code, out: log } = await run([...argv, '--loss-chunk-mib', '0.002']);
  expect(oneChunk.code).toBe(0);
  expect(code).toBe(0);
  expect(kernels(log) - kernels(oneChunk.out)).toBeGreaterThan(3 * 15);
  // The chunks cut the head's products into rows: the same flops, in more kernels.
  const flops = (lines: string[]) => /its work: ([\d.]+ [kMGT]?FLOP) in products/.exec(lines.join('\n'))?.[1];
  expect(flops(log)).toMatch(/^[\d.]+ MFLOP$/);
  expect(flops(log)).toBe(flops(oneChunk.out));
  expect(readdirSync(out).sort()).toEqual(['batch.safetensors', 'forward.onnx', 'manifest.json', 'state.safetensors', 'train-step.onnx', 'weights.safetensors']);
  const artifacts = await readArtifactFiles((name) => Promise.resolve(readFileSync(join(out, name))));
  expect(artifacts.sampleBatch?.input_ids).toHaveLength(16);
  // Load the fixture's adapter into the state the CLI wrote (it wrote PEFT's init), then compare gradients.
  const f = loadFixture('tiny-llama');
  const packed = artifacts.state.get('adapter') as Float32Array;
  for (const [name, view] of unpackAdapter(artifacts.manifest, packed)) view.set(f.adapter.get(name)!);
  const trainer = await Trainer.create(cpuBackend('node'), artifacts);
  try {
    const step = await trainer.step(f.batch('float32'), { lr: 1e-3, readGradients: true });
    const grads = unpackAdapter(artifacts.manifest, (await step.gradients)!.get('adapter') as Float32Array);
    let worst = relativeError([(await step.loss)!], f.expected.float64('loss'));
    for (const [name, g] of grads) worst = Math.max(worst, relativeError(g, f.expected.float64(name)));
    expect(worst).toBeLessThan(1e-4);
  } finally {
    await trainer.dispose();
  }
});

test('fiat bench on the wasm and node backends prints tokens/s, ms/step and peak memory', async () => {
  for (const ep of ['wasm', 'node']) {
    const { code, out } = await run([
      'bench', '--config', fixture('config.json'), '--lora', 'r=4,targets=q,v', '--batch', '1', '--seq', '8',
      '--ep', ep, '--steps', '2', '--warmup', '1', '--threads', '1', '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(out.at(-1)!) as {
      ep: string; tokensPerSecond: number; msPerStep: number; peakRssMB: number; losses: number[];
      trainStepNodes: number; trainStepKernels: number; productTflopPerSecond: number;
    };
    expect(result.ep).toBe(ep);
    // Only what does not depend on the machine's speed or load: the rates' arithmetic is
    // test/unit/cli/bench-figures.test.ts's, on given step times.
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    expect(result.productTflopPerSecond).toBeGreaterThan(0);
    expect(result.peakRssMB).toBeGreaterThan(0);
    expect(result.losses).toHaveLength(3);
    const log = out.join('\n');
    expect(log).toContain(`${result.tokensPerSecond} tokens/s, ${result.msPerStep} ms/step over 2 steps (after 1 warm-up)`);
    expect(log).toMatch(new RegExp(`; products [\\d.]+ [kMG]?FLOP per step, ${result.productTflopPerSecond} TFLOP/s of step time`));
    expect(result.trainStepKernels).toBeGreaterThan(0);
    expect(result.trainStepKernels).toBeLessThan(result.trainStepNodes);
  }
});

test('fiat bench --no-sum-split: the long sums run whole, in fewer kernels, and the steps train the same', async () => {
  // 8 x 64 tokens: each LoRA factor's gradient sums 512 rows into a few tiles, so by default it is cut in two.
  const bench = async (...extra: string[]) => {
    const { code, out } = await run([
      'bench', '--config', fixture('config.json'), '--lora', 'r=4,targets=q,v', '--batch', '8', '--seq', '64',
      '--ep', 'node', '--steps', '2', '--warmup', '1', '--threads', '1', '--json', ...extra,
    ]);
    expect(code).toBe(0);
    return { out, result: JSON.parse(out.at(-1)!) as { splitSums: boolean; trainStepKernels: number; losses: number[] } };
  };
  const split = await bench();
  const whole = await bench('--no-sum-split');
  expect(split.result.splitSums).toBe(true);
  expect(whole.result.splitSums).toBe(false);
  expect(whole.out.some((l) => l.includes('no split sums'))).toBe(true);
  // Per layer, 3 gradients are cut in two: the stacked A factors' and each B's. Whole, each loses its summing
  // MatMul, but a B gradient then needs its own Mul for alpha / r (which the summing row carried): 1 kernel less
  // per layer.
  expect(split.result.trainStepKernels - whole.result.trainStepKernels).toBe(2);
  expect(whole.result.losses).toHaveLength(3);
  expect(relativeError(whole.result.losses, split.result.losses)).toBeLessThan(1e-5);
  expect(whole.result.losses[2]).toBeLessThan(whole.result.losses[0]!);
});

test('bad flags and inputs: exit 2, one line naming the flag, file or field', async () => {
  const cases: [string[], string][] = [
    [['artifacts', '--config', fixture('config.json'), '--lora', 'r=4', '--batch', 'two', '--seq', '8', '--out', dir], '--batch: expected a positive integer, got "two"'],
    [['artifacts', '--config', fixture('config.json'), '--lora', 'r=4', '--batch', '2', '--seq', '8'], '--out is required'],
    [['artifacts', '--config', 'nope.json', '--lora', 'r=4', '--batch', '2', '--seq', '8', '--out', dir], '--config: cannot read nope.json (ENOENT)'],
    [['artifacts', '--config', fixture('config.json'), '--lora', 'r=4,dropout=0.1', '--batch', '2', '--seq', '8', '--out', dir], 'LoRA dropout 0.1 is not supported'],
    [['artifacts', '--config', fixture('config.json'), '--lora', 'r=4', '--batch', '2', '--seq', '65', '--out', dir], "exceeds the model's max_position_embeddings (64)"],
    [['artifacts', '--config', fixture('config.json'), '--weights', 'test/fixtures/tiny-qwen2/model.safetensors', '--lora', 'r=4', '--batch', '2', '--seq', '8', '--out', dir], 'test/fixtures/tiny-qwen2/model.safetensors: tensor'],
    [['bench', '--config', fixture('config.json'), '--lora', 'r=4', '--batch', '2', '--seq', '8', '--ep', 'cuda'], '--ep: "cuda" is not one of webgpu, wasm, node'],
    [['bench', '--config', fixture('config.json'), '--lora', 'r=4', '--batch', '2', '--seq', '8', '--ep', 'wasm', '--graph-capture'], '--graph-capture: needs --ep webgpu'],
    [['bench', '--config', fixture('config.json'), '--dtype', 'float64'], "Unknown option '--dtype'"],
    [['bench', '--config', fixture('config.json'), '--lora', 'r=4', '--batch', '2', '--seq', '8', '--ep', 'wasm', '--loss-chunk-mib', '0'], '--loss-chunk-mib: expected a positive number, got "0"'],
    [['bench', '--config', fixture('config.json'), '--lora', 'r=4', '--batch', '2', '--seq', '8', '--ep', 'wasm', '--no-sum-split=yes'], "Option '--no-sum-split' does not take an argument"],
    [['trian'], 'unknown command "trian"'],
  ];
  for (const [argv, message] of cases) {
    const { code, err } = await run(argv);
    expect(code, argv.join(' ')).toBe(2);
    expect(err, argv.join(' ')).toContain(message);
    expect(err).not.toContain('    at '); // no stack trace for the user's mistakes
  }
});
