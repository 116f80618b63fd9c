import type { Engine, GenerateRequest, GenerationPrompt } from '../src/engine/engine.ts';
import { nonNegativeInt, nonNegativeNumber, parseFlags, positiveInt, probability, UsageError } from './args.ts';
import { inferenceFlagOptions, onModel, parseInferenceFlags } from './inference-flags.ts';
import { messagesField, textField } from './jsonl.ts';

export const generateUsage = `fiat generate --model <DIR> [--adapter <DIR>] --input <F.jsonl> --max-new-tokens N [--ep node|wasm|webgpu]
           [--threads N] [--temperature T] [--top-p P] [--seed S] [--stop STR]... [--json]
  Continues each line: {"prompt": ...} (raw text, tokenized with the tokenizer's special tokens) or {"messages":
  [{"role", "content"}, ...]} (the chat template with the generation prompt), with the PEFT adapter of --adapter
  (adapter_config.json + adapter_model.safetensors) or the base model. Greedy unless --temperature > 0 (then top-p
  and the seed's draws); stops at EOS, at a --stop string (repeatable; the text ends before it) or after N tokens.
  Prints {"ids": [...], "text": ..., "finishReason": ...} per line with --json (the new tokens only), else
  'line N (T tokens, eos|stop|length): "text"'.`;

/** Runs on the engine `makeEngine` gives for the thread count (--threads), and disposes it. */
export async function generateCommand(argv: readonly string[], log: (line: string) => void, makeEngine: (threads?: number) => Engine): Promise<void> {
  const flags = parseFlags(argv, {
    ...inferenceFlagOptions,
    'max-new-tokens': { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    seed: { type: 'string' },
    stop: { type: 'string', multiple: true },
  });
  const maxNewTokens = positiveInt(flags['max-new-tokens'], '--max-new-tokens');
  const settings = {
    temperature: nonNegativeNumber(flags.temperature, '--temperature', 0),
    topP: probability(flags['top-p'], '--top-p', 1),
    seed: nonNegativeInt(flags.seed, '--seed', 0),
    stop: flags.stop ?? [],
  };
  if (settings.stop.some((s) => s === '')) throw new UsageError('--stop: a stop string must not be empty');
  const plan = parseInferenceFlags(flags);
  const prompts = plan.lines.map(({ line, value }) => generationPrompt(plan.inputPath, line, value));
  await onModel(plan, makeEngine, async (engine) => {
    for (const [i, prompt] of prompts.entries()) {
      const request: GenerateRequest = { ...plan.options, ...settings, prompt, maxNewTokens };
      const { ids, text, finishReason } = await engine.generate(request);
      log(plan.json ? JSON.stringify({ ids, text, finishReason }) : `line ${plan.lines[i]!.line} (${ids.length} tokens, ${finishReason}): ${JSON.stringify(text)}`);
    }
  });
}

/** A line's prompt: "messages" (a list) when present, else "prompt" (text). */
export function generationPrompt(path: string, line: number, value: Record<string, unknown>): GenerationPrompt {
  if ('messages' in value) return { messages: messagesField(path, line, value) };
  if ('prompt' in value) return { text: textField(path, line, value, 'prompt') };
  throw new UsageError(`${path}, line ${line}: needs "prompt" (text) or "messages" (a list of {"role", "content"})`);
}
