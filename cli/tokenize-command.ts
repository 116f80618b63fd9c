import type { Engine } from '../src/engine/engine.ts';
import { parseFlags, required, UsageError } from './args.ts';
import { messagesField, readJsonl } from './jsonl.ts';
import { modelDirSource } from './model-dir.ts';

export const tokenizeUsage = `fiat tokenize --model <DIR> --input <F.jsonl> [--json]
  Tokenizes each line with the model's tokenizer: {"text": ...} (special tokens added as the tokenizer adds them)
  or {"messages": [{"role", "content"}, ...]} (the chat template with the generation prompt, then tokenized).
  Prints {"ids": [...]} per line with --json, else "line N (T tokens): ids".`;

/** Runs on `engine` and disposes it. */
export async function tokenizeCommand(argv: readonly string[], log: (line: string) => void, engine: Engine): Promise<void> {
  const flags = parseFlags(argv, { model: { type: 'string' }, input: { type: 'string' }, json: { type: 'boolean' } });
  const source = await modelDirSource(required(flags.model, '--model'));
  const input = required(flags.input, '--input');
  const lines = readJsonl(input, '--input');
  try {
    await engine.load(source);
    for (const { line, value } of lines) {
    let ids: number[];
    if ('messages' in value) {
      const text = await engine.applyChatTemplate(messagesField(input, line, value), { addGenerationPrompt: true });
      ids = await engine.tokenize(text, { addSpecialTokens: false });
    } else if (typeof value['text'] === 'string') {
      ids = await engine.tokenize(value['text']);
    } else {
      throw new UsageError(`${input}, line ${line}: needs "text" (a string) or "messages" (a list)`);
    }
    log(flags.json ? JSON.stringify({ ids }) : `line ${line} (${ids.length} tokens): ${ids.join(' ')}`);
    }
  } finally {
    await engine.dispose();
  }
}
