// `fiat tokenize` and `fiat train` over the engine, on the demo model (public/models/demo): ids equal Python's for
// its tokenizer (test/fixtures/tokenizers/expected.json), the chat template with the generation prompt, a trained
// adapter in PEFT's files, and messages that name the line and field of bad input.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from '../../support/cli-run.ts';

const demo = 'public/models/demo';
const dir = mkdtempSync(join(tmpdir(), 'fiat-engine-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Fixture {
  encodes: { bpe: { name: string; text: string; ids: number[] }[] };
  conversations: Record<string, { role: string; content: string }[]>;
  chatTemplates: { template: string; specialTokens: string; conversation: string; addGenerationPrompt: boolean; rendered: string }[];
}
const fixture = JSON.parse(readFileSync('test/fixtures/tokenizers/expected.json', 'utf8')) as Fixture;

const run = runCli;

function jsonl(name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return path;
}

test('fiat tokenize gives Python tokenizers\' ids for every text, and the chat template with the generation prompt', async () => {
  const texts = fixture.encodes.bpe.filter((e) => e.text !== '');
  const render = fixture.chatTemplates.find((c) => c.template === 'chatml' && c.specialTokens === 'bpe' && c.conversation === 'system+user' && c.addGenerationPrompt)!;
  const input = jsonl('tokenize.jsonl', [...texts.map((e) => ({ text: e.text })), { messages: fixture.conversations['system+user'] }, { text: render.rendered }]);
  const { code, out, err } = await run(['tokenize', '--model', demo, '--input', input, '--json']);
  expect(err).toBe('');
  expect(code).toBe(0);
  const ids = out.map((line) => (JSON.parse(line) as { ids: number[] }).ids);
  texts.forEach((e, i) => expect(ids[i], e.name).toEqual(e.ids));
  // The messages line is the rendered template (Python's render), tokenized.
  expect(ids[texts.length]).toEqual(ids[texts.length + 1]);
});

test('fiat train writes a PEFT adapter and prints each step\'s loss', async () => {
  const data = jsonl('train.jsonl', [
    { prompt: 'Question: Where is Warsaw?\nAnswer:', completion: ' Poland' },
    { prompt: 'Question: What is the capital of Finland?\nAnswer:', completion: ' Helsinki' },
    { prompt: 'Question: Who wrote Hamlet?\nAnswer:', completion: ' Shakespeare' },
  ]);
  const out = join(dir, 'adapter');
  const result = await run(['train', '--model', demo, '--data', data, '--lora', 'r=2,alpha=4,targets=q,v', '--steps', '3', '--batch', '2', '--micro-batch', '1', '--seq', '32', '--lr', '1e-2', '--warmup', '1', '--schedule', 'linear', '--threads', '1', '--out', out]);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  expect(result.out.filter((l) => /^step \d\/3 {2}loss \d+\.\d+/.test(l))).toHaveLength(3);
  expect(result.out.join('\n')).toContain('batch 2 in 2 micro-batch(es) of 1 x 32');
  expect(readdirSync(out).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
  expect(JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8'))).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 4, target_modules: ['q_proj', 'v_proj'] });
});

test('bad input names the line and field, or what to change', async () => {
  const args = (data: string) => ['train', '--model', demo, '--data', data, '--lora', 'r=2', '--steps', '1', '--batch', '1', '--seq', '16', '--lr', '1e-2', '--out', join(dir, 'never')];
  const cases: [string[], string][] = [
    [args(jsonl('no-completion.jsonl', [{ prompt: 'a', completion: 'b' }, { prompt: 'c' }])), 'line 2, field completion: must be text (missing)'],
    [args(jsonl('not-json.jsonl', ['{"prompt": "a", "completion": "b"}', '{oops'])), 'line 2: not JSON'],
    [args(jsonl('too-long.jsonl', [{ prompt: 'Question: '.repeat(30), completion: ' x' }])), 'more than the sequence length 16'],
    [args(jsonl('empty-completion.jsonl', [{ prompt: 'a', completion: '' }])), 'the completion is empty'],
    [['tokenize', '--model', join(dir, 'nowhere'), '--input', jsonl('t0.jsonl', [{ text: 'x' }])], '--model: cannot read the folder'],
    [['tokenize', '--model', 'test/fixtures/tiny-llama', '--input', jsonl('t.jsonl', [{ text: 'x' }])], 'has no tokenizer.json'],
    [['tokenize', '--model', demo, '--input', jsonl('bad-line.jsonl', [{ messages: [{ role: 'robot', content: 'x' }] }])], 'field messages[0].role: must be one of system, user, assistant'],
  ];
  for (const [argv, message] of cases) {
    const { code, err } = await run(argv);
    expect(err, argv.join(' ')).toContain(message);
    expect(code).toBe(2);
  }
});
