import type { Engine, TrainExample } from '../src/engine/engine.ts';
import { parseFlags, positiveInt } from './args.ts';
import { inferenceFlagOptions, onModel, parseInferenceFlags } from './inference-flags.ts';
import { textField } from './jsonl.ts';

export const scoreUsage = `fiat score --model <DIR> [--adapter <DIR>] --input <F.jsonl> [--ep node|wasm|webgpu] [--threads N] [--batch B] [--json]
  Scores each line {"prompt": ..., "completion": ...}: log P(completion + EOS | prompt), natural log, summed over
  the completion's tokens and EOS (as training counts them), with the PEFT adapter of --adapter or the base model;
  B rows per run (default 8). Prints {"logprob": ..., "tokens": ...} per line with --json, else
  "line N: logprob L (T tokens)".`;

/** Runs on the engine `makeEngine` gives for the thread count (--threads), and disposes it. */
export async function scoreCommand(argv: readonly string[], log: (line: string) => void, makeEngine: (threads?: number) => Engine): Promise<void> {
  const flags = parseFlags(argv, { ...inferenceFlagOptions, batch: { type: 'string' } });
  const batchSize = flags.batch === undefined ? undefined : positiveInt(flags.batch, '--batch');
  const plan = parseInferenceFlags(flags);
  const examples: TrainExample[] = plan.lines.map(({ line, value }) => ({
    prompt: textField(plan.inputPath, line, value, 'prompt'),
    completion: textField(plan.inputPath, line, value, 'completion'),
  }));
  await onModel(plan, makeEngine, async (engine) => {
    const scores = await engine.score({ ...plan.options, examples, ...(batchSize === undefined ? {} : { batchSize }) });
    scores.forEach(({ logprob, tokens }, i) => log(plan.json ? JSON.stringify({ logprob, tokens }) : `line ${plan.lines[i]!.line}: logprob ${logprob.toFixed(6)} (${tokens} tokens)`));
  });
}
