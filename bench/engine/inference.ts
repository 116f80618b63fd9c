// Inference throughput of the engine on the CPU backends against transformers on the CPU, in one run:
//
//   npm run bench:inference -- [--config bench/engine/configs/smollm2-135m.json] [--eps wasm,node] [--threads N]
//     [--prompt 256] [--new 64] [--pairs 32] [--pair-len 128] [--batch 8] [--rounds 1] [--python PATH] [--no-peer] [--json]
//
// The engine loads the config with seeded random weights (source kind 'random'; no tokenizer) once, then per EP:
//   prefill  a prompt of --prompt random ids: the engine's prefillMs (the prompt's forward, KV cache filled), as
//            prompt tokens per second
//   decode   --new tokens after it, greedy: the engine's decodeMs over the tokens after the first (the prefill's)
//   scoring  --pairs examples of --pair-len ids (the second half the completion) in batches of --batch: examples/s
// each after an untimed warm-up (the first call opens the sessions), the median over --rounds. The peer,
// peer_inference.py (transformers, torch.set_num_threads(N), its own random init: speed does not depend on the
// values), times the same three; the table gives ours / peer. Results: bench/engine/README.md ("Inference").
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseFlags, positiveInt, UsageError } from '../../cli/args.ts';
import type { Engine, ExecutionProvider, InferenceOptions, TrainExample } from '../../src/engine/engine.ts';
import { nodeEngine } from '../../src/engine/node/engine-node.ts';
import { parseJsonText } from '../../src/models/config-error.ts';
import { SeededRandom } from '../../src/models/random.ts';
import { EXECUTION_PROVIDERS } from '../../src/runtime/backend.ts';
import { peerPython, runPythonPeer } from './python-peer.ts';

interface Work {
  readonly prompt: number;
  readonly newTokens: number;
  readonly pairs: number;
  readonly pairLen: number;
  readonly batch: number;
  readonly rounds: number;
}

interface Figures {
  readonly prefillTokensPerSecond: number;
  readonly decodeTokensPerSecond: number;
  readonly scoreExamplesPerSecond: number;
}

interface Ours extends Figures {
  readonly ep: ExecutionProvider;
  /** The first call: sessions opened, weights uploaded, and one generation. */
  readonly openMs: number;
  /** New tokens of the timed decode (fewer than --new when the random model wrote EOS). */
  readonly decoded: number;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

function randomIds(count: number, vocab: number, random: SeededRandom): number[] {
  // Id 0 is left out: it is EOS or padding in the configs here.
  return Array.from({ length: count }, () => 1 + (random.nextUint32() % (vocab - 1)));
}

async function measure(engine: Engine, ep: ExecutionProvider, threads: number, vocab: number, work: Work): Promise<Ours> {
  const options: InferenceOptions = { ep, wasmThreads: threads, adapter: { kind: 'none' } };
  const random = new SeededRandom(1);
  const prompt = { tokens: randomIds(work.prompt, vocab, random) };
  const examples: TrainExample[] = Array.from({ length: work.pairs }, () => ({ tokens: randomIds(work.pairLen, vocab, random), promptLength: work.pairLen >> 1 }));

  // The first call opens the prefill and decode sessions for this prompt and cache length (the engine buckets the
  // cache by prompt + new tokens), so the timed calls ask for the same lengths.
  const open = performance.now();
  await engine.generate({ ...options, prompt, maxNewTokens: work.newTokens });
  const openMs = performance.now() - open;
  const prefill: number[] = [];
  const decode: number[] = [];
  let decoded = 0;
  for (let r = 0; r < work.rounds; r++) {
    const run = await engine.generate({ ...options, prompt, maxNewTokens: work.newTokens });
    decoded = run.ids.length;
    prefill.push(run.timings.prefillMs);
    // decodeMs runs from the prefill's end to the last token: the ids after the first (which the prefill gives).
    decode.push(run.timings.decodeMs / Math.max(run.ids.length - 1, 1));
  }
  await engine.score({ ...options, examples: examples.slice(0, work.batch), batchSize: work.batch });
  const score: number[] = [];
  for (let r = 0; r < work.rounds; r++) {
    const start = performance.now();
    await engine.score({ ...options, examples, batchSize: work.batch });
    score.push(performance.now() - start);
  }
  return {
    ep,
    openMs,
    decoded,
    prefillTokensPerSecond: (work.prompt * 1000) / median(prefill),
    decodeTokensPerSecond: 1000 / median(decode),
    scoreExamplesPerSecond: (work.pairs * 1000) / median(score),
  };
}

const ROWS: readonly [keyof Figures, string][] = [
  ['prefillTokensPerSecond', 'prefill tokens/s'],
  ['decodeTokensPerSecond', 'decode tokens/s'],
  ['scoreExamplesPerSecond', 'scoring examples/s'],
];

/** Three significant digits, without an exponent: 0.146, 25.0, 1390. */
const figure = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));

function table(ours: readonly Ours[], peer: Figures | null, peerName: string): string[] {
  const head = ['measure', ...ours.map((o) => `ours ${o.ep}`), ...(peer ? [peerName, ...ours.map((o) => `${o.ep} / peer`)] : [])];
  const rows = ROWS.map(([key, name]) => [
    name,
    ...ours.map((o) => figure(o[key])),
    ...(peer ? [figure(peer[key]), ...ours.map((o) => `${(o[key] / peer[key]).toFixed(2)}x`)] : []),
  ]);
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), {
    config: { type: 'string' },
    eps: { type: 'string' },
    threads: { type: 'string' },
    prompt: { type: 'string' },
    new: { type: 'string' },
    pairs: { type: 'string' },
    'pair-len': { type: 'string' },
    batch: { type: 'string' },
    rounds: { type: 'string' },
    python: { type: 'string' },
    'no-peer': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const configPath = flags.config ?? 'bench/engine/configs/smollm2-135m.json';
  const eps = (flags.eps ?? 'wasm,node').split(',').map((ep) => {
    if (!(EXECUTION_PROVIDERS as readonly string[]).includes(ep)) throw new UsageError(`--eps: "${ep}" is not one of ${EXECUTION_PROVIDERS.join(', ')}`);
    return ep as ExecutionProvider;
  });
  const threads = positiveInt(flags.threads, '--threads', availableParallelism());
  const work: Work = {
    prompt: positiveInt(flags.prompt, '--prompt', 256),
    newTokens: positiveInt(flags.new, '--new', 64),
    pairs: positiveInt(flags.pairs, '--pairs', 32),
    pairLen: positiveInt(flags['pair-len'], '--pair-len', 128),
    batch: positiveInt(flags.batch, '--batch', 8),
    rounds: positiveInt(flags.rounds, '--rounds', 1),
  };
  if (work.pairLen < 2) throw new UsageError('--pair-len: at least 2 (a prompt and a completion token)');
  const config = parseJsonText(readFileSync(configPath, 'utf8'), configPath);
  const vocab = (config as { vocab_size?: number }).vocab_size ?? 0;
  console.log(`${configPath} (random weights), ${threads} threads; prompt ${work.prompt}, ${work.newTokens} new tokens greedy, ${work.pairs} pairs x ${work.pairLen} tokens in batches of ${work.batch}; median of ${work.rounds}`);

  const ours: Ours[] = [];
  const engine = nodeEngine({ threads });
  try {
    const info = await engine.load({ kind: 'random', label: configPath, config, seed: 0 }, { requireTokenizer: false });
    console.log(`${info.architecture}, ${(info.parameters / 1e6).toFixed(1)}M parameters, ${info.layers} layers, vocabulary ${info.vocabSize}`);
    for (const ep of eps) {
      const o = await measure(engine, ep, threads, vocab, work);
      console.log(`ours ${ep}: sessions opened in ${(o.openMs / 1000).toFixed(1)} s; ${o.decoded} tokens decoded`);
      ours.push(o);
    }
  } finally {
    await engine.dispose();
  }

  let peer: (Figures & { torch?: string }) | null = null;
  if (!flags['no-peer']) {
    const script = fileURLToPath(new URL('peer_inference.py', import.meta.url));
    const args = ['--config', configPath, '--threads', String(threads), '--prompt', String(work.prompt), '--new', String(work.newTokens), '--pairs', String(work.pairs), '--pair-len', String(work.pairLen), '--batch', String(work.batch), '--rounds', String(work.rounds)];
    const run = runPythonPeer(peerPython(flags.python), script, args);
    if (run.ok) peer = run.result as unknown as Figures & { torch?: string };
    else console.log(`peer skipped: ${run.why}`);
  }
  const peerName = `transformers (torch ${peer?.torch ?? '?'}, CPU)`;
  for (const line of table(ours, peer, peerName)) console.log(line);
  if (flags.json) console.log(JSON.stringify({ config: configPath, threads, work, ours, peer }));
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error(error instanceof UsageError ? `bench:inference: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
}
