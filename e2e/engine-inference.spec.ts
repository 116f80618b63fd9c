import type { Page } from '@playwright/test';
import type { ChatMessage, GenerateRequest, LabelScoreRequest } from '../src/engine/engine.ts';
import type { EngineHost, GenerationRun } from './harness/engine-api.ts';
import { call, openHarness } from './support/engine-harness.ts';
import { DEMO_REPO, expect, test } from './support/hub-server-fixture.ts';

// The engine's inference in Chromium on the demo model (public/models/demo/, random weights, real tokenizer and chat
// template): generation streams out of the Web Worker on the WebGPU EP (SwiftShader) and equals the in-page engine
// on the WASM EP, greedy and seeded-sampled; label scores and per-token scores agree between the two EPs within
// 1e-4; a cancelled generation rejects as cancelled and the worker still generates after it.
// SwiftShader runs WebGPU 50-80x slower than WASM and compiling the shaders of each new session shape dominates a
// first run, so shapes and token counts stay small and each test uses as few shapes as it can.

const CHAT: ChatMessage[] = [
  { role: 'system', content: 'Answer in one short sentence.' },
  { role: 'user', content: 'What is the capital of Finland?' },
];
const NEW_TOKENS = 16;
const GREEDY: GenerateRequest = { prompt: { messages: CHAT }, maxNewTokens: NEW_TOKENS };
const SAMPLED: GenerateRequest = { ...GREEDY, temperature: 0.8, seed: 5 };
/** The worker's calls name the EP the test is about; wasmThreads 1 keeps the page's WASM runs off the other cores. */
const ON_WEBGPU = { ep: 'webgpu' } as const;
const ON_WASM = { ep: 'wasm', wasmThreads: 1 } as const;

/** Opens the harness and loads the demo model from the local Hub into the engines named. */
async function loadDemo(page: Page, endpoint: string, hosts: readonly EngineHost[]): Promise<void> {
  await openHarness(page);
  for (const host of hosts) expect((await call(page, 'loadHub', host, { endpoint, ...DEMO_REPO })).error).toBeNull();
}

/** A run that must have finished: its result (the error, if any, is the assertion's message). */
function finished(run: GenerationRun) {
  expect(run.error, JSON.stringify(run.error)).toBeNull();
  return run.result!;
}

/** Largest |a - b| / |b| over paired values. */
const maxRelativeDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i]!) / Math.abs(b[i]!)));
const maxAbsoluteDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

/** A finished run's stream: more than one progress, in order, adding up to the result's ids and text. */
function expectStreamed(run: GenerationRun): void {
  const result = finished(run);
  // The harness copies the progress when the call settles, so all of it arrived before the reply.
  expect(run.progress.length).toBeGreaterThan(1);
  expect(run.progress.flatMap((p) => p.ids)).toEqual(result.ids);
  expect(run.progress.map((p) => p.text).join('')).toBe(result.text);
  const counts = run.progress.map((p) => p.generated);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  expect(counts.at(-1)).toBe(result.ids.length);
}

test('generation streams out of the worker on WebGPU and equals the in-page engine on WASM, greedy and seeded-sampled', async ({ page, hub }) => {
  test.setTimeout(300_000);
  await loadDemo(page, hub.endpoint, ['worker', 'page']);

  const streamed = await call(page, 'generate', 'worker', { ...GREEDY, ...ON_WEBGPU });
  const greedy = finished(streamed);
  console.log(`greedy on WebGPU (worker): ${JSON.stringify(greedy.text)} ${JSON.stringify(greedy.ids)}, ${streamed.progress.length} progress messages, prefill ${greedy.timings.prefillMs} ms, decode ${greedy.timings.decodeMs} ms`);
  expect(greedy.ids).toHaveLength(NEW_TOKENS);
  expect(greedy.finishReason).toBe('length');
  expectStreamed(streamed);
  const wasm = finished(await call(page, 'generate', 'page', { ...GREEDY, ...ON_WASM }));
  expect(wasm.ids).toEqual(greedy.ids);
  expect(wasm.text).toBe(greedy.text);
  expect(wasm.promptTokens).toBe(greedy.promptTokens);

  // The demo model's random tied embeddings make greedy decoding repeat the prompt's last token, which checks little
  // of the logits; a sampled generation depends on all of them. The same seeded draws over logits equal within float
  // error give the same tokens (a near-tie at a draw could part them: then this fails and says so, never loosened).
  const sampledRun = await call(page, 'generate', 'worker', { ...SAMPLED, ...ON_WEBGPU });
  const sampled = finished(sampledRun);
  const sampledWasm = finished(await call(page, 'generate', 'page', { ...SAMPLED, ...ON_WASM }));
  console.log(`sampled (temperature 0.8, seed 5) on WebGPU: ${JSON.stringify(sampled.text)} ${JSON.stringify(sampled.ids)}, ${sampledRun.progress.length} progress messages; on WASM: ${JSON.stringify(sampledWasm.ids)}`);
  expectStreamed(sampledRun);
  expect(new Set(sampled.ids).size).toBeGreaterThan(NEW_TOKENS / 2); // it sampled
  expect(sampled.ids).toEqual(sampledWasm.ids);
  expect(sampled.text).toBe(sampledWasm.text);
});

const LABEL_CASES: LabelScoreRequest[] = [
  {
    prompts: ['Question: Is the sky blue?\nAnswer:', 'Question: Is fire cold?\nAnswer:', 'Question: Is Helsinki in Finland?\nAnswer:'],
    labels: [' yes', ' no'],
  },
  {
    // One token each (and EOS): probabilities near a third, where a difference shows.
    prompts: ['Which letter comes first?\nAnswer:', 'Pick one of A, B or C.\nChoice:'],
    labels: [' A', ' B', ' C'],
  },
];

test('label scores and per-token scores in the worker on WebGPU equal the in-page engine on WASM within 1e-4', async ({ page, hub }) => {
  test.setTimeout(300_000);
  await loadDemo(page, hub.endpoint, ['worker', 'page']);
  for (const request of LABEL_CASES) {
    const webgpu = await call(page, 'scoreLabels', 'worker', { ...request, ...ON_WEBGPU });
    const wasm = await call(page, 'scoreLabels', 'page', { ...request, ...ON_WASM });
    expect(webgpu).toHaveLength(request.prompts.length);
    const probabilityDiff = Math.max(...webgpu.map((s, p) => maxAbsoluteDiff(s.probabilities, wasm[p]!.probabilities)));
    const logprobDiff = Math.max(...webgpu.map((s, p) => maxRelativeDiff(s.logprobs, wasm[p]!.logprobs)));
    console.log(`labels ${JSON.stringify(request.labels)}: probabilities ${JSON.stringify(wasm.map((s) => s.probabilities))}; max diff ${probabilityDiff.toExponential(2)}, logprobs max rel diff ${logprobDiff.toExponential(2)}`);
    for (const s of webgpu) {
      expect(s.probabilities.reduce((a, q) => a + q, 0)).toBeCloseTo(1, 6);
      expect(s.logprobs.every((l) => l < 0)).toBe(true);
    }
    expect(probabilityDiff).toBeLessThan(1e-4);
    expect(logprobDiff).toBeLessThan(1e-4);
    expect(webgpu.map((s) => s.best)).toEqual(wasm.map((s) => s.best));

    // The same pairs through score: each completion token's log-probability (the label's, then EOS's).
    const examples = request.prompts.flatMap((prompt) => request.labels.map((completion) => ({ prompt, completion })));
    const tokensWebgpu = await call(page, 'score', 'worker', { examples, ...ON_WEBGPU });
    const tokensWasm = await call(page, 'score', 'page', { examples, ...ON_WASM });
    expect(tokensWebgpu.map((s) => s.tokens)).toEqual(tokensWasm.map((s) => s.tokens));
    expect(tokensWebgpu.every((s) => s.tokens >= 2)).toBe(true);
    const tokenDiff = Math.max(...tokensWebgpu.map((s, i) => maxRelativeDiff(s.tokenLogprobs, tokensWasm[i]!.tokenLogprobs)));
    console.log(`  per-token log-probabilities of ${examples.length} examples: max rel diff ${tokenDiff.toExponential(2)}`);
    expect(tokenDiff).toBeLessThan(1e-4);
    expect(maxRelativeDiff(tokensWebgpu.map((s) => s.logprob), webgpu.flatMap((s) => s.logprobs))).toBeLessThan(1e-6);
  }
});

test('a cancelled generation in the worker rejects as cancelled, and the worker still generates the same tokens after', async ({ page, hub }) => {
  test.setTimeout(300_000);
  await loadDemo(page, hub.endpoint, ['worker', 'page']);
  // Sampled, not greedy: greedy decoding of the demo model repeats one token, which would hide a wrong prefix.
  const reference = finished(await call(page, 'generate', 'page', { ...SAMPLED, ...ON_WASM }));
  // Room for hundreds of tokens; cancelled once three have streamed.
  const long = await call(page, 'generate', 'worker', { ...SAMPLED, maxNewTokens: 400, ...ON_WEBGPU }, { cancelAfterTokens: 3 });
  const before = long.progress.flatMap((p) => p.ids);
  console.log(`cancelled: ${JSON.stringify(long.error)} after ${before.length} tokens`);
  expect(long.result).toBeNull();
  expect(long.error).toMatchObject({ kind: 'cancelled' });
  expect(before.length).toBeGreaterThanOrEqual(3);
  expect(before.length).toBeLessThan(NEW_TOKENS);
  // Its first tokens were those of the same draws.
  expect(before).toEqual(reference.ids.slice(0, before.length));

  const after = finished(await call(page, 'generate', 'worker', { ...SAMPLED, ...ON_WEBGPU }));
  expect(after.ids).toEqual(reference.ids);
});
