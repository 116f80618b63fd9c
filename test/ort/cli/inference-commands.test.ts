// `fiat generate` and `fiat score` on the demo model (public/models/demo) with its trained adapter
// (test/fixtures/peft-adapter): each line's output is what the engine gives for the same request, called directly
// here; bad input names the file, line and field, or is the engine's message.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readAdapterDir } from '../../../cli/adapter-dir.ts';
import { modelDirSource } from '../../../cli/model-dir.ts';
import type { Engine, GenerateRequest, GenerateResult, InferenceAdapter, ScoreRequest } from '../../../src/engine/engine.ts';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import { runCli } from '../../support/cli-run.ts';

const demo = 'public/models/demo';
const adapterDir = 'test/fixtures/peft-adapter/adapter';
const dir = mkdtempSync(join(tmpdir(), 'fiat-inference-cli-'));
let engine: Engine;

beforeAll(async () => {
  engine = nodeEngine({ threads: 1 });
  await engine.load(await modelDirSource(demo));
});
afterAll(async () => {
  await engine.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function jsonl(name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return path;
}

const peft: InferenceAdapter = { kind: 'peft', adapter: readAdapterDir(adapterDir) };
const PROMPTS = [
  { prompt: 'Question: Where is Warsaw?\nAnswer:' },
  { messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'من هو مؤلف هاملت؟' }] },
  { prompt: 'Question: कौन सा शहर सबसे बड़ा है?\nAnswer:' },
];
const asPrompt = (line: (typeof PROMPTS)[number]): GenerateRequest['prompt'] =>
  'messages' in line ? { messages: line.messages as { role: 'system' | 'user'; content: string }[] } : { text: line.prompt };

async function generateCli(args: readonly string[], input: string): Promise<{ ids: number[]; text: string; finishReason: string }[]> {
  const { code, out, err } = await runCli(['generate', '--model', demo, '--input', input, '--threads', '1', '--json', ...args]);
  expect(err).toBe('');
  expect(code).toBe(0);
  return out.map((line) => JSON.parse(line) as { ids: number[]; text: string; finishReason: string });
}

async function generateDirect(request: Omit<GenerateRequest, 'prompt'>, prompts: readonly GenerateRequest['prompt'][]): Promise<GenerateResult[]> {
  const results: GenerateResult[] = [];
  for (const prompt of prompts) results.push(await engine.generate({ ep: 'node', wasmThreads: 1, ...request, prompt }));
  return results;
}

const fields = ({ ids, text, finishReason }: GenerateResult) => ({ ids: [...ids], text, finishReason });

test('fiat generate prints, per line, the engine\'s ids and text for the same request: greedy, sampled, with an adapter', async () => {
  const input = jsonl('prompts.jsonl', PROMPTS);
  const prompts = PROMPTS.map(asPrompt);
  const greedy = await generateCli(['--max-new-tokens', '12'], input);
  expect(greedy).toEqual((await generateDirect({ maxNewTokens: 12, adapter: { kind: 'none' } }, prompts)).map(fields));
  expect(greedy.every((g) => g.ids.length > 0 && g.ids.length <= 12)).toBe(true);

  const sampling = { temperature: 0.8, topP: 0.9, seed: 3 };
  const sampled = await generateCli(['--max-new-tokens', '12', '--temperature', '0.8', '--top-p', '0.9', '--seed', '3'], input);
  expect(sampled).toEqual((await generateDirect({ maxNewTokens: 12, adapter: { kind: 'none' }, ...sampling }, prompts)).map(fields));

  const tuned = await generateCli(['--max-new-tokens', '12', '--adapter', adapterDir], input);
  expect(tuned).toEqual((await generateDirect({ maxNewTokens: 12, adapter: peft }, prompts)).map(fields));
});

test('fiat generate --stop ends the text before the stop string, as the engine does', async () => {
  const input = jsonl('one.jsonl', [PROMPTS[0]]);
  const [full] = await generateCli(['--max-new-tokens', '16'], input);
  // A stop string from the middle of what greedy decoding writes, so that it is met.
  const from = Math.floor(full!.text.length / 2);
  const stop = full!.text.slice(from, from + 2);
  expect(stop.trim().length).toBeGreaterThan(0);
  const [stopped] = await generateCli(['--max-new-tokens', '16', '--stop', 'never appears', '--stop', stop], input);
  expect(stopped!.finishReason).toBe('stop');
  expect(stopped!.text).toBe(full!.text.slice(0, full!.text.indexOf(stop)));
  const [direct] = await generateDirect({ maxNewTokens: 16, adapter: { kind: 'none' }, stop: ['never appears', stop] }, [asPrompt(PROMPTS[0]!)]);
  expect(stopped).toEqual(fields(direct!));
});

test('fiat generate without --json prints the line, the token count, the finish reason and the text', async () => {
  const { code, out } = await runCli(['generate', '--model', demo, '--input', jsonl('human.jsonl', ['', PROMPTS[0]]), '--max-new-tokens', '3', '--threads', '1']);
  expect(code).toBe(0);
  expect(out).toHaveLength(1);
  expect(out[0]).toMatch(/^line 2 \([1-3] tokens, (eos|stop|length)\): ".*"$/);
});

test('fiat score prints the engine\'s log-probability and token count per line, with and without an adapter', async () => {
  const pairs = [
    { prompt: 'Question: Where is Warsaw?\nAnswer:', completion: ' Poland' },
    { prompt: 'Question: من هو مؤلف هاملت؟\nAnswer:', completion: ' شكسبير' },
    { prompt: 'Question: Who wrote Hamlet?\nAnswer:', completion: ' William Shakespeare' },
  ];
  const input = jsonl('pairs.jsonl', pairs);
  const scoreCli = async (args: readonly string[]) => {
    const { code, out, err } = await runCli(['score', '--model', demo, '--input', input, '--threads', '1', '--json', ...args]);
    expect(err).toBe('');
    expect(code).toBe(0);
    return out.map((line) => JSON.parse(line) as { logprob: number; tokens: number });
  };
  const direct = async (adapter: InferenceAdapter) => {
    const request: ScoreRequest = { ep: 'node', wasmThreads: 1, adapter, examples: pairs, batchSize: 2 };
    return (await engine.score(request)).map(({ logprob, tokens }) => ({ logprob, tokens }));
  };
  const base = await scoreCli(['--batch', '2']);
  expect(base).toEqual(await direct({ kind: 'none' }));
  expect(base.every((s) => s.logprob < 0 && s.tokens >= 2)).toBe(true);
  const tuned = await scoreCli(['--batch', '2', '--adapter', adapterDir]);
  expect(tuned).toEqual(await direct(peft));
  expect(tuned.map((s) => s.logprob)).not.toEqual(base.map((s) => s.logprob));

  const { out } = await runCli(['score', '--model', demo, '--input', input, '--threads', '1']);
  expect(out[0]).toMatch(/^line 1: logprob -\d+\.\d{6} \(\d+ tokens\)$/);
});

test('bad input names the file, line and field; an adapter that does not fit the model gets the engine\'s message', async () => {
  const wrongRank = join(dir, 'wrong-rank');
  cpSync(adapterDir, wrongRank, { recursive: true });
  const config = JSON.parse(readFileSync(join(wrongRank, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(wrongRank, 'adapter_config.json'), JSON.stringify({ ...config, r: 8 }));
  const generate = (input: string, ...more: string[]) => ['generate', '--model', demo, '--input', input, '--max-new-tokens', '4', ...more];
  const score = (input: string, ...more: string[]) => ['score', '--model', demo, '--input', input, ...more];
  const good = jsonl('good.jsonl', [{ prompt: 'a', completion: ' b' }]);
  const cases: [string[], string | RegExp][] = [
    [generate(jsonl('not-json.jsonl', [{ prompt: 'a' }, '{oops'])), /not-json\.jsonl, line 2: not JSON/],
    [generate(jsonl('no-prompt.jsonl', [{ prompt: 'a' }, { text: 'b' }])), /no-prompt\.jsonl, line 2: needs "prompt" \(text\) or "messages"/],
    [generate(jsonl('number-prompt.jsonl', [{ prompt: 42 }])), /number-prompt\.jsonl, line 1, field prompt: must be text, found 42/],
    [generate(jsonl('bad-role.jsonl', [{ messages: [{ role: 'robot', content: 'x' }] }])), /bad-role\.jsonl, line 1, field messages\[0\]\.role: must be one of/],
    [generate(jsonl('empty-messages.jsonl', [{ messages: [] }])), 'field messages: must be a non-empty list'],
    [score(jsonl('no-completion.jsonl', [{ prompt: 'a', completion: 'b' }, { prompt: 'c' }])), /no-completion\.jsonl, line 2, field completion: must be text \(missing\)/],
    [score(jsonl('list-completion.jsonl', [{ prompt: 'a', completion: ['b'] }])), 'line 1, field completion: must be text, found ["b"]'],
    [score(good, '--adapter', join(dir, 'nowhere')), /--adapter: cannot read .*nowhere\/adapter_config\.json/],
    [score(good, '--adapter', wrongRank), /q_proj\.lora_A\.weight" has shape \[4, 64\], this model needs \[8, 64\]/],
    [generate(good, '--temperature=-1'), '--temperature: expected a number >= 0'],
    [generate(good, '--top-p', '0'), '--top-p: expected a number in (0, 1]'],
    [generate(good, '--stop', ''), '--stop: a stop string must not be empty'],
    [['generate', '--model', demo, '--input', good], '--max-new-tokens is required'],
    [score(good, '--ep', 'cuda'), '--ep: "cuda" is not one of webgpu, wasm, node'],
  ];
  for (const [argv, message] of cases) {
    const { code, err } = await runCli(argv);
    if (typeof message === 'string') expect(err, argv.join(' ')).toContain(message);
    else expect(err, argv.join(' ')).toMatch(message);
    expect(err, argv.join(' ')).not.toMatch(/\n\s+at /);
    expect(code, argv.join(' ')).toBe(2);
  }
});
