// The LoRA train step on the CPU EPs against transformers + PEFT on the CPU with the same threads, in one run:
//
//   npm run bench:train-peer -- [--config bench/engine/configs/tiny-llama.json] [--batch 4] [--seq 64] [--threads 2]
//     [--eps wasm,node] [--lora r=8,alpha=16,targets=q,k,v,o,gate,up,down] [--steps 10] [--warmup 3] [--rounds 1]
//     [--python PATH] [--no-peer] [--json]
//
// Ours is `fiat bench` (cli/bench-command.ts: the engine with seeded random weights, warm-up steps, then timed steps
// queued as the studio queues them) on each EP; the peer is peer_train.py (get_peft_model, AdamW, clipping, the same
// batch shape with its padded last row and prompt quarter, torch.set_num_threads(N)). With --rounds R every side runs
// R times in turn (ours per EP, then the peer), so a change in the shared machine's load falls on all of them, and
// each side's median ms/step is taken. ours / peer is the peer's ms/step over ours: above 1, ours is faster.
// V8 runs WebAssembly first as baseline (Liftoff) code and optimises hot functions in the background: on tiny-llama the
// first ~10 WASM steps took 4-5x the CPU time of later ones (bench/engine/wasm-step-profile.ts), so a few warm-up steps
// measured mostly baseline code. This bench compiles onnxruntime-web's WebAssembly optimised from the start
// (--no-liftoff; same results, ~15 s more CPU to open the first session) and so times the steps a long run settles at.
// Results: bench/engine/README.md ("Train step against transformers + PEFT").
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { parseFlags, parseLoraFlag, positiveInt, UsageError } from '../../cli/args.ts';
import { benchCommand, type BenchResult } from '../../cli/bench-command.ts';
import type { ExecutionProvider } from '../../src/engine/engine.ts';
import { EXECUTION_PROVIDERS } from '../../src/runtime/backend.ts';
import { peerPython, runPythonPeer } from './python-peer.ts';

interface Side {
  readonly name: string;
  readonly msPerStep: readonly number[];
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

async function main(): Promise<void> {
  // Before onnxruntime-web compiles its WebAssembly (at the first session).
  setFlagsFromString('--no-liftoff');
  const flags = parseFlags(process.argv.slice(2), {
    config: { type: 'string' },
    batch: { type: 'string' },
    seq: { type: 'string' },
    threads: { type: 'string' },
    eps: { type: 'string' },
    lora: { type: 'string' },
    steps: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    python: { type: 'string' },
    'no-peer': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const config = flags.config ?? 'bench/engine/configs/tiny-llama.json';
  const batch = positiveInt(flags.batch, '--batch', 4);
  const seq = positiveInt(flags.seq, '--seq', 64);
  const threads = positiveInt(flags.threads, '--threads', Math.min(2, availableParallelism()));
  const loraText = flags.lora ?? 'r=8,alpha=16,targets=q,k,v,o,gate,up,down';
  const lora = parseLoraFlag(loraText);
  const steps = positiveInt(flags.steps, '--steps', 10);
  const warmup = positiveInt(flags.warmup, '--warmup', 3);
  const rounds = positiveInt(flags.rounds, '--rounds', 1);
  const eps = (flags.eps ?? 'wasm,node').split(',').map((ep) => {
    if (ep === 'webgpu' || !(EXECUTION_PROVIDERS as readonly string[]).includes(ep)) throw new UsageError(`--eps: "${ep}" is not a CPU EP (wasm, node)`);
    return ep as ExecutionProvider;
  });
  console.log(`${config} (random weights), batch ${batch} x ${seq}, LoRA ${loraText}, ${threads} threads; ${warmup} warm-up + ${steps} timed steps, ${rounds} round${rounds > 1 ? 's' : ''}`);

  const benchArgs = ['--config', config, '--lora', loraText, '--batch', String(batch), '--seq', String(seq), '--threads', String(threads), '--steps', String(steps), '--warmup', String(warmup)];
  const peerArgs = ['--config', config, '--threads', String(threads), '--batch', String(batch), '--seq', String(seq), '--r', String(lora.r), '--alpha', String(lora.alpha), '--targets', lora.targets.join(','), '--steps', String(steps), '--warmup', String(warmup)];
  const script = fileURLToPath(new URL('peer_train.py', import.meta.url));
  const python = peerPython(flags.python);

  const ours = new Map<ExecutionProvider, number[]>(eps.map((ep) => [ep, []]));
  const last = new Map<ExecutionProvider, BenchResult>();
  const peer: number[] = [];
  let peerTorch = '?';
  let peerSkipped: string | null = flags['no-peer'] ? 'asked (--no-peer)' : null;
  for (let round = 0; round < rounds; round++) {
    for (const ep of eps) {
      const result = await benchCommand([...benchArgs, '--ep', ep], (line) => console.log(`  ${line}`));
      ours.get(ep)!.push(result.msPerStep);
      last.set(ep, result);
    }
    if (peerSkipped !== null) continue;
    const run = runPythonPeer(python, script, peerArgs);
    if (!run.ok) {
      peerSkipped = run.why;
      continue;
    }
    peerTorch = typeof run.result['torch'] === 'string' ? run.result['torch'] : '?';
    peer.push(Number(run.result['msPerStep']));
    console.log(`  transformers + PEFT: ${Number(run.result['msPerStep']).toFixed(1)} ms/step, loss ${(run.result['losses'] as number[]).at(-1)?.toFixed(4)}`);
  }
  if (peerSkipped !== null) console.log(`peer skipped: ${peerSkipped}`);

  const sides: Side[] = [...eps.map((ep) => ({ name: ep, msPerStep: ours.get(ep)! })), ...(peer.length > 0 ? [{ name: `transformers + PEFT (torch ${peerTorch})`, msPerStep: peer }] : [])];
  const peerMs = peer.length > 0 ? median(peer) : null;
  const tokens = batch * seq;
  console.log('| side | ms/step | tokens/s | ours / peer |');
  console.log('| --- | --- | --- | --- |');
  for (const side of sides) {
    const ms = median(side.msPerStep);
    const isOurs = (eps as readonly string[]).includes(side.name);
    const ratio = peerMs !== null && isOurs ? `${(peerMs / ms).toFixed(2)}x` : '';
    console.log(`| ${side.name} | ${ms.toFixed(1)} | ${((tokens * 1000) / ms).toFixed(0)} | ${ratio} |`);
  }
  if (flags.json) console.log(JSON.stringify({ config, batch, seq, threads, lora: loraText, steps, warmup, rounds, sides, ours: Object.fromEntries(last) }));
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error(error instanceof UsageError ? `bench:train-peer: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
}
