// The engine's score, scoreLabels and generate on the CPU backends with the demo model (random weights, real
// tokenizer and chat template) and a random model without a tokenizer: streaming, stop conditions, adapters (none,
// the training's, a PEFT one), agreement with the training's own evaluation, and the messages of bad requests.
// Parity with transformers on real checkpoints is test/ort/engine/inference-parity.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateProgress, ModelSource, TrainExample } from '../../../src/engine/engine.ts';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import type { InThreadEngine } from '../../../src/engine/in-thread.ts';

const demoDir = 'public/models/demo';
const demo: ModelSource = {
  kind: 'files',
  label: 'demo',
  files: readdirSync(demoDir)
    .filter((name) => !name.endsWith('.md'))
    .map((name) => ({ name, blob: new Blob([readFileSync(join(demoDir, name))]) })),
};

const examples: TrainExample[] = [
  { prompt: 'Question: Is the sky blue?\nAnswer:', completion: ' yes' },
  { prompt: 'Question: ¿Dónde está Madrid?\nAnswer:', completion: ' en España' },
  { prompt: 'Question: كم عمره؟\nAnswer:', completion: ' ثلاثون عاما' },
];

let engine: InThreadEngine;
beforeAll(async () => {
  engine = nodeEngine({ threads: 1 });
  await engine.load(demo);
});
afterAll(() => engine.dispose());

describe('generate', () => {
  test('greedy generation is the same on onnxruntime-node and WASM, and its stream adds up to the result', async () => {
    const request = { prompt: { text: 'Question: Where is the Nile?' }, maxNewTokens: 12 } as const;
    const streamed: GenerateProgress[] = [];
    const node = await engine.generate({ ...request, ep: 'node' }, { onProgress: (p) => streamed.push(p) });
    const wasm = await engine.generate({ ...request, ep: 'wasm', wasmThreads: 1 });
    expect(node.ids).toHaveLength(12);
    expect(node.finishReason).toBe('length');
    expect(wasm.ids).toEqual(node.ids);
    expect(streamed.flatMap((p) => p.ids)).toEqual(node.ids);
    expect(streamed.map((p) => p.text).join('')).toBe(node.text);
    expect(streamed.at(-1)!.generated).toBe(12);
    expect(node.text).toBe(await engine.decode(node.ids, { skipSpecialTokens: true }));
    // The demo model's random weights make greedy decoding repeat a token, which would hide a broken cache: a sampled
    // generation (the same seeded draws on the same logits) compares every position's distribution.
    const sampled = { ...request, temperature: 0.9, seed: 4 };
    const sampledNode = await engine.generate({ ...sampled, ep: 'node' });
    expect(new Set(sampledNode.ids).size).toBeGreaterThan(3);
    expect((await engine.generate({ ...sampled, ep: 'wasm', wasmThreads: 1 })).ids).toEqual(sampledNode.ids);
    expect(node.promptTokens).toBe((await engine.tokenize('Question: Where is the Nile?')).length);
  });

  test('each generated token is the most probable one: scoring the continuation agrees with greedy decoding', async () => {
    const prompt = 'Question: ¿Dónde está Madrid?';
    const generated = await engine.generate({ prompt: { text: prompt }, maxNewTokens: 6, ep: 'node' });
    const promptIds = await engine.tokenize(prompt);
    // Score the continuation as tokens; each token's log-probability is that of the argmax, so >= log(1/V).
    const [score] = await engine.score({ examples: [{ tokens: [...promptIds, ...generated.ids], promptLength: promptIds.length }], ep: 'node' });
    expect(score!.tokens).toBe(6);
    for (const lp of score!.tokenLogprobs) expect(lp).toBeGreaterThan(Math.log(1 / 4096));
    // And a different last token scores lower than the greedy one.
    const other = (generated.ids.at(-1)! + 1) % 4096;
    const [worse] = await engine.score({ examples: [{ tokens: [...promptIds, ...generated.ids.slice(0, -1), other], promptLength: promptIds.length }], ep: 'node' });
    expect(worse!.tokenLogprobs.at(-1)!).toBeLessThan(score!.tokenLogprobs.at(-1)!);
  });

  test('chat messages go through the template with the generation prompt; sampling with a seed repeats, another seed differs', async () => {
    const messages = [{ role: 'user' as const, content: 'Say something.' }];
    const rendered = await engine.applyChatTemplate(messages, { addGenerationPrompt: true });
    const a = await engine.generate({ prompt: { messages }, maxNewTokens: 8, temperature: 1, topP: 0.95, seed: 1, ep: 'node' });
    const b = await engine.generate({ prompt: { messages }, maxNewTokens: 8, temperature: 1, topP: 0.95, seed: 1, ep: 'node' });
    const c = await engine.generate({ prompt: { messages }, maxNewTokens: 8, temperature: 1, topP: 0.95, seed: 2, ep: 'node' });
    expect(a.promptTokens).toBe((await engine.tokenize(rendered, { addSpecialTokens: false })).length);
    expect(b.ids).toEqual(a.ids);
    expect(c.ids).not.toEqual(a.ids);
  });

  test('a stop string ends it and is cut from the text; stop token ids end it with finish reason eos', async () => {
    const free = await engine.generate({ prompt: { text: 'Answer:' }, maxNewTokens: 16, ep: 'node' });
    const firstWord = free.text.trim().slice(0, 2);
    expect(firstWord.length).toBeGreaterThan(0);
    const stopped = await engine.generate({ prompt: { text: 'Answer:' }, maxNewTokens: 16, stop: [firstWord], ep: 'node' });
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(firstWord)));
    const third = free.ids[2]!;
    const eos = await engine.generate({ prompt: { text: 'Answer:' }, maxNewTokens: 16, stopTokenIds: [third], ep: 'node' });
    expect(eos.finishReason).toBe('eos');
    expect(eos.ids).toEqual(free.ids.slice(0, free.ids.indexOf(third) + 1));
  });

  test('a prompt longer than the context says by how much; bad settings name the field', async () => {
    const long = 'word '.repeat(600);
    const length = (await engine.tokenize(long)).length;
    expect(length).toBeGreaterThan(512);
    await expect(engine.generate({ prompt: { text: long }, maxNewTokens: 4, ep: 'node' })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining(`${length - 512 + 1} more than this model's context of 512`) as unknown,
    });
    await expect(engine.generate({ prompt: { text: 'x' }, maxNewTokens: 600, ep: 'node' })).rejects.toMatchObject({ message: expect.stringContaining('ask for at most') as unknown });
    await expect(engine.generate({ prompt: { text: 'x' }, maxNewTokens: 0, ep: 'node' })).rejects.toMatchObject({ message: expect.stringContaining('maxNewTokens') as unknown });
    await expect(engine.generate({ prompt: { text: 'x' }, maxNewTokens: 2, temperature: -1, ep: 'node' })).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('temperature') as unknown });
  });

  test('a cancelled generation rejects as cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const call = engine.generate({ prompt: { text: 'Question:' }, maxNewTokens: 200, ep: 'node' }, { signal: controller.signal, onProgress: (p) => {
      seen.push(p.generated);
      if (p.generated >= 3) controller.abort();
    } });
    await expect(call).rejects.toMatchObject({ kind: 'cancelled' });
    expect(Math.max(...seen)).toBeLessThan(200);
  });
});

describe('score and adapters', () => {
  test('scores equal the training evaluation; the trained adapter changes them, and as a PEFT adapter gives the same', async () => {
    await engine.prepareTraining({ lora: { r: 4, alpha: 8, targets: ['q', 'v', 'down'] }, batchSize: 3, seqLen: 32, ep: 'node', seed: 1 });
    const base = await engine.score({ examples, adapter: { kind: 'none' }, ep: 'node' });
    await engine.train({ examples, steps: 5, lr: 5e-2 });
    const evaluated = await engine.evaluate(examples);
    const trained = await engine.score({ examples, ep: 'node' }); // default: the training's adapter
    const tokens = trained.reduce((a, s) => a + s.tokens, 0);
    expect(tokens).toBe(evaluated.tokens);
    expect(-trained.reduce((a, s) => a + s.logprob, 0) / tokens).toBeCloseTo(evaluated.loss, 5);
    expect(trained.map((s) => s.logprob)).not.toEqual(base.map((s) => s.logprob));
    for (const s of trained) expect(s.logprob).toBeCloseTo(s.tokenLogprobs.reduce((a, v) => a + v, 0), 6);
    const peft = await engine.score({ examples, adapter: { kind: 'peft', adapter: await engine.readAdapter() }, ep: 'wasm', wasmThreads: 1 });
    peft.forEach((s, i) => expect(s.logprob).toBeCloseTo(trained[i]!.logprob, 4));
    // Batches of one give the same scores as batches of three.
    const single = await engine.score({ examples, ep: 'node', batchSize: 1 });
    single.forEach((s, i) => expect(s.logprob).toBeCloseTo(trained[i]!.logprob, 4));
  });

  test('label scores are each label\'s softmax-normalised probability with the raw log-probabilities kept', async () => {
    const prompts = ['Question: Is the sky blue?\nAnswer:', 'Question: Is fire cold?\nAnswer:'];
    const labels = [' yes', ' no', ' maybe'];
    const scored = await engine.scoreLabels({ prompts, labels, adapter: { kind: 'none' }, ep: 'node' });
    const raw = await engine.score({ examples: prompts.flatMap((prompt) => labels.map((completion) => ({ prompt, completion }))), adapter: { kind: 'none' }, ep: 'node' });
    scored.forEach((s, p) => {
      expect(s.logprobs).toEqual(raw.slice(p * 3, p * 3 + 3).map((r) => r.logprob));
      expect(s.probabilities.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
      const z = s.logprobs.reduce((a, l) => a + Math.exp(l), 0);
      s.probabilities.forEach((q, i) => expect(q).toBeCloseTo(Math.exp(s.logprobs[i]!) / z, 12));
      expect(s.best).toBe(s.logprobs.indexOf(Math.max(...s.logprobs)));
    });
    await expect(engine.scoreLabels({ prompts, labels: ['yes'] })).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('at least two labels') as unknown });
    await expect(engine.scoreLabels({ prompts, labels: ['yes', 'yes'] })).rejects.toMatchObject({ message: expect.stringContaining('given twice') as unknown });
  });

  test('an empty completion and an adapter for another base are refused with their reason', async () => {
    await expect(engine.score({ examples: [{ prompt: 'x', completion: '' }], adapter: { kind: 'none' }, ep: 'node' })).rejects.toMatchObject({ message: expect.stringContaining('completion is empty') as unknown });
    const config = { ...(JSON.parse(readFileSync(join(demoDir, 'config.json'), 'utf8')) as Record<string, unknown>), hidden_size: 32, head_dim: 8 };
    const other = nodeEngine({ threads: 1 });
    try {
      await other.load({ kind: 'random', label: 'narrower', config, seed: 1 });
      await other.prepareTraining({ lora: { r: 4, alpha: 8, targets: ['q', 'v'] }, batchSize: 1, seqLen: 8, ep: 'node' });
      const foreign = await other.readAdapter();
      const error: unknown = await engine.score({ examples, adapter: { kind: 'peft', adapter: foreign }, ep: 'node' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'weights', message: expect.stringContaining('has shape [4, 32], this model needs [4, 64] (is it an adapter for another base model?)') as unknown });
      const unknownTarget = { ...foreign, config: { ...foreign.config, target_modules: ['q_proj', 'attn_proj'] } };
      const refused: unknown = await engine.score({ examples, adapter: { kind: 'peft', adapter: unknownTarget }, ep: 'node' }).catch((e: unknown) => e);
      expect((refused as Error).message).toContain('attn_proj');
    } finally {
      await other.dispose();
    }
  });
});

test('a model without a tokenizer generates from token ids', async () => {
  const config = JSON.parse(readFileSync('test/fixtures/tiny-llama/config.json', 'utf8')) as Record<string, unknown>;
  const bare = nodeEngine({ threads: 1 });
  try {
    await bare.load({ kind: 'random', label: 'bare', config, seed: 3 });
    const out = await bare.generate({ prompt: { tokens: [1, 2, 3] }, maxNewTokens: 4, ep: 'node' });
    expect(out.ids.length).toBeGreaterThan(0);
    expect(out.text).toBe('');
    await expect(bare.generate({ prompt: { text: 'hi' }, maxNewTokens: 4, ep: 'node' })).rejects.toMatchObject({ kind: 'tokenizer' });
  } finally {
    await bare.dispose();
  }
});
