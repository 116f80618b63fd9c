// Scoring and generation give what transformers + PEFT give on the same weights and adapter (issue 18): the
// fixtures (scripts/fixtures/make_inference_fixtures.py) hold, for a Llama, a Qwen2 and a Qwen3 config with odd sizes,
// greedy continuations of prompts in the samples' 17 languages and of chat conversations, completion scores and label
// distributions, without and with a PEFT adapter. Continuations must be equal token for token (the fixtures' top-1 /
// top-2 logit gaps are at least 1e-3 at every step, so rounding cannot flip one); summed log-probabilities within 1e-4
// relative; each token's log-probability within 1e-4 absolute + 1e-4 relative (|got - expected| <= 1e-4 (1 + |expected|));
// label probabilities within 1e-4 absolute. Every mismatch is listed (model, EP, adapter, prompt, position), not just
// the first.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExecutionProvider, InferenceAdapter } from '../../../src/engine/engine.ts';
import type { InThreadEngine } from '../../../src/engine/in-thread.ts';
import { nodeEngine } from '../../../src/engine/node/engine-node.ts';
import { INFERENCE_FIXTURES, loadInferenceFixture, type InferenceFixture, type Run } from '../../support/inference-fixtures.ts';

const TOLERANCE = 1e-4;
/** The CPU EPs, each model on both (the WASM EP with one thread); WebGPU is e2e's. */
const EPS: readonly Exclude<ExecutionProvider, 'webgpu'>[] = ['node', 'wasm'];
const RUNS: readonly Run[] = ['base', 'adapter'];

/** Where two id lists first differ, as a sentence, or null when equal. */
function idMismatch(got: readonly number[], expected: readonly number[]): string | null {
  const at = expected.findIndex((id, i) => got[i] !== id);
  if (at < 0 && got.length === expected.length) return null;
  const position = at < 0 ? expected.length : at;
  return `first difference at position ${position}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`;
}

describe.each(INFERENCE_FIXTURES)('%s', (name) => {
  const fixture: InferenceFixture = loadInferenceFixture(name);
  const { expected } = fixture;
  let engine: InThreadEngine;
  beforeAll(async () => {
    engine = nodeEngine({ threads: 1 });
    await engine.load(fixture.source);
  });
  afterAll(() => engine.dispose());

  test('loads with the fixture\'s EOS and tokenizes its prompts as transformers did', async () => {
    expect((await engine.describe()).eosTokenIds).toEqual([expected.eos_token_id]);
    const mismatches: string[] = [];
    for (const g of expected.generations) {
      const ids =
        'text' in g.prompt
          ? await engine.tokenize(g.prompt.text)
          : await engine.tokenize(await engine.applyChatTemplate(g.prompt.messages, { addGenerationPrompt: true }), { addSpecialTokens: false });
      const wrong = idMismatch(ids, g.prompt_ids);
      if (wrong) mismatches.push(`${g.name}: prompt ids ${wrong}`);
    }
    for (const s of expected.scores) {
      const ids = [...(await engine.tokenize(s.prompt)), ...(await engine.tokenize(s.completion, { addSpecialTokens: false })), expected.eos_token_id];
      const wrong = idMismatch(ids, s.tokens);
      if (wrong) mismatches.push(`${s.name}: score tokens ${wrong}`);
    }
    expect(mismatches).toEqual([]);
    // The fixture is one where the adapter matters: a run that ignored it could not pass both.
    expect(expected.generations.some((g) => idMismatch(g.adapter.ids, g.base.ids) !== null)).toBe(true);
    expect(expected.min_margin).toBeGreaterThanOrEqual(1e-3);
  });

  describe.each(EPS.flatMap((ep) => RUNS.map((run) => ({ ep, run }))))('ep $ep, $run', ({ ep, run }) => {
    const adapter: InferenceAdapter = run === 'base' ? { kind: 'none' } : { kind: 'peft', adapter: fixture.adapter };
    const options = { ep, adapter, ...(ep === 'wasm' ? { wasmThreads: 1 } : {}) };
    const where = `${name} ep ${ep} ${run}`;

    test('greedy continuations equal transformers\' token for token', async () => {
      const mismatches: string[] = [];
      for (const g of expected.generations) {
        const want = g[run];
        const result = await engine.generate({ ...options, prompt: g.prompt, maxNewTokens: g.max_new_tokens });
        const wrong = idMismatch(result.ids, want.ids);
        if (wrong) mismatches.push(`${where}, ${g.name}: ${wrong} (min margin ${want.min_margin.toPrecision(3)})`);
        if (result.promptTokens !== g.prompt_ids.length) mismatches.push(`${where}, ${g.name}: ${result.promptTokens} prompt tokens, expected ${g.prompt_ids.length}`);
        if (result.finishReason !== want.finish_reason) mismatches.push(`${where}, ${g.name}: finish reason ${result.finishReason}, expected ${want.finish_reason}`);
      }
      // The same prompt given as ids continues the same way.
      const first = expected.generations[0]!;
      const byIds = await engine.generate({ ...options, prompt: { tokens: first.prompt_ids }, maxNewTokens: first.max_new_tokens });
      const wrong = idMismatch(byIds.ids, first[run].ids);
      if (wrong) mismatches.push(`${where}, ${first.name} given as ids: ${wrong}`);
      expect(mismatches).toEqual([]);
    });

    test('completion log-probabilities equal transformers\' within 1e-4', async () => {
      // Text examples (tokenized by the engine, EOS appended) and the same as ids, in one request: rows of unequal lengths.
      const examples = [
        ...expected.scores.map((s) => ({ prompt: s.prompt, completion: s.completion })),
        ...expected.scores.map((s) => ({ tokens: s.tokens, promptLength: s.prompt_length })),
      ];
      const scores = await engine.score({ ...options, examples });
      expect(scores).toHaveLength(examples.length);
      const mismatches: string[] = [];
      scores.forEach((got, i) => {
        const s = expected.scores[i % expected.scores.length]!;
        const label = `${where}, ${s.name}${i < expected.scores.length ? '' : ' (as ids)'}`;
        const want = s[run];
        if (got.tokens !== want.token_logprobs.length) mismatches.push(`${label}: ${got.tokens} tokens scored, expected ${want.token_logprobs.length}`);
        if (!(Math.abs(got.logprob - want.logprob) <= TOLERANCE * Math.abs(want.logprob))) {
          mismatches.push(`${label}: summed logprob ${got.logprob}, expected ${want.logprob} (relative error ${(Math.abs(got.logprob - want.logprob) / Math.abs(want.logprob)).toExponential(2)})`);
        }
        want.token_logprobs.forEach((w, t) => {
          const g = got.tokenLogprobs[t];
          if (g === undefined || !(Math.abs(g - w) <= TOLERANCE * (1 + Math.abs(w)))) mismatches.push(`${label}: token ${t} (id ${s.tokens[s.prompt_length + t]}) logprob ${g}, expected ${w}`);
        });
      });
      expect(mismatches).toEqual([]);
    });

    test('label probabilities equal the softmax of transformers\' label scores within 1e-4', async () => {
      const mismatches: string[] = [];
      for (const l of expected.label_scores) {
        const [got] = await engine.scoreLabels({ ...options, prompts: [l.prompt], labels: l.labels });
        const want = l[run];
        const label = `${where}, labels ${JSON.stringify(l.labels)}`;
        if (!got) {
          mismatches.push(`${label}: no scores`);
          continue;
        }
        want.probabilities.forEach((p, i) => {
          if (!(Math.abs(got.probabilities[i]! - p) <= TOLERANCE)) mismatches.push(`${label}: probability of ${JSON.stringify(l.labels[i])} ${got.probabilities[i]}, expected ${p}`);
        });
        want.logprobs.forEach((lp, i) => {
          if (!(Math.abs(got.logprobs[i]! - lp) <= TOLERANCE * Math.abs(lp))) mismatches.push(`${label}: logprob of ${JSON.stringify(l.labels[i])} ${got.logprobs[i]}, expected ${lp}`);
        });
        if (got.best !== want.best) mismatches.push(`${label}: best ${got.best}, expected ${want.best}`);
      }
      expect(mismatches).toEqual([]);
    });
  });
});
