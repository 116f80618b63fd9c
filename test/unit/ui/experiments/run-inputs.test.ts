// A queued run's request, built from its spec as the Tuning tab builds one: the pairs per method, the validation
// prompts, the plan from the settings snapshot with the spec's seed, and the experiment's tag in the stored settings.
import { expect, test } from 'vitest';
import type { TrainingInfo, TrainingSetup, TrainRequest } from '../../../../src/engine/engine.ts';
import { TuningRunController } from '../../../../src/fiat/tuning/run-controller.ts';
import type { RunSpec } from '../../../../src/fiat/experiments/spec.ts';
import { experimentTagOf } from '../../../../src/ui/lib/experiment-run-tag.ts';
import { runInputs } from '../../../../src/ui/features/experiments/runner/run-inputs.ts';
import type { RunRequest } from '../../../../src/ui/features/tuning/run-launcher.ts';
import { allWeightsOf } from '../../../../src/ui/features/tuning/run-store.ts';
import { context, reasoning, reasoningOf, snapshot, spec, task } from './fixtures.ts';

const tag = { experimentId: 'exp-1', itemId: 'cell-1', method: 'fiat' };

interface Pair {
  readonly prompt: string;
  readonly completion: string;
}

/** The request, its training pairs as texts (the runner never gives tokens), and the drawn examples' ids. */
async function request(s: RunSpec, ctx = context()): Promise<{ request: Omit<RunRequest, 'examples'> & { examples: Pair[] }; drawn: string[] }> {
  const inputs = await runInputs(s, ctx, { backend: { ep: 'wasm', wasmThreads: 2, note: null }, tag });
  if (!inputs.ok) throw new Error(inputs.message);
  const examples = inputs.request.examples.map((e) => {
    if (!('prompt' in e)) throw new Error('expected text pairs');
    return e;
  });
  return { request: { ...inputs.request, examples }, drawn: inputs.drawn.map((e) => e.id) };
}

test('FIAT: I_τ with each drawn example and its reasoning, answered with the label', async () => {
  const { request: r, drawn } = await request(spec('fiat'));
  expect(r.examples).toHaveLength(6);
  r.examples.forEach((pair, i) => {
    expect(pair.prompt).toContain('Is the answer supported by the passage?');
    expect(pair.prompt).toContain(`Question ${drawn[i]}?`);
    expect(pair.prompt).toContain(reasoningOf(drawn[i]!));
    expect(['supported', 'not supported']).toContain(pair.completion);
  });
  expect(r.tau).toBe(spec('fiat').tau.text);
  // Validation: the first 4 of the split, with their reasoning (FIAT reads it at inference too).
  expect(r.validation.map((v) => v.example.id)).toEqual(['v0', 'v1', 'v2', 'v3']);
  expect(r.validation[0]!.prompt).toContain(reasoningOf('v0'));
});

test('fine-tuning: the bare input, no I_τ and no reasoning', async () => {
  const { request: r, drawn } = await request(spec('fine-tune'));
  expect(r.examples).toHaveLength(6);
  r.examples.forEach((pair, i) => {
    expect(pair.prompt).toContain(`Question ${drawn[i]}?`);
    expect(pair.prompt).not.toContain('Is the answer supported by the passage?');
    expect(pair.prompt).not.toContain('So the answer is');
  });
  expect(r.validation[0]!.prompt).not.toContain('So the answer is');
});

test('without CoT-augmented tuning: I_τ with its reasoning slot empty', async () => {
  const { request: r } = await request(spec('no-cot'));
  for (const pair of r.examples) {
    expect(pair.prompt).toContain('Is the answer supported by the passage?');
    expect(pair.prompt).not.toContain('So the answer is');
  }
});

test('distilled CoT: two pairs per drawn example, the second teaching the reasoning; evaluated without it', async () => {
  const { request: r, drawn } = await request(spec('distilled-cot'));
  expect(r.examples).toHaveLength(12);
  drawn.forEach((id, i) => {
    const [answer, rationale] = [r.examples[2 * i]!, r.examples[2 * i + 1]!];
    expect(answer.prompt).toContain(`Question ${id}?`);
    expect(answer.prompt).not.toContain(reasoningOf(id));
    expect(rationale.completion).toContain(reasoningOf(id));
  });
  expect(r.validation.every((v) => !v.prompt.includes('So the answer is'))).toBe(true);
});

test('the plan is the snapshot’s with the spec’s seed; the stored settings carry the experiment’s tag', async () => {
  const { request: r } = await request(spec('fiat', { seed: 9, settings: snapshot({ steps: 7, lr: 1e-3, warmupSteps: 1 }) }));
  expect(r.plan.seed).toBe(9);
  expect(r.plan.setup.seed).toBe(9);
  expect(r.plan.totalSteps).toBe(7);
  expect(r.plan.lr).toEqual({ peak: 1e-3, warmupSteps: 1, decay: 'linear' });
  expect(r.plan.setup).toMatchObject({ ep: 'wasm', wasmThreads: 2, seqLen: 2048, batchSize: 8 });
  expect(experimentTagOf(r.settings)).toEqual(tag);
  expect(experimentTagOf({ plan: r.plan })).toBeNull();
  expect(r.settings['method']).toBe('fiat');
  expect(r.settings['validationSize']).toBe(4);
});

test('the same spec and data give the same pairs (a paused run can resume); another seed gives others', async () => {
  const a = await request(spec('fiat', { seed: 1 }));
  const b = await request(spec('fiat', { seed: 1 }));
  const c = await request(spec('fiat', { seed: 2 }));
  expect(b.request.examples).toEqual(a.request.examples);
  expect(c.drawn).not.toEqual(a.drawn);
});

test('a run that cannot be built says why: no model, a size over the split', async () => {
  const none = await runInputs(spec('fiat'), context({ model: null }), { backend: { ep: 'wasm', note: null }, tag });
  expect(none).toEqual({ ok: false, message: 'no small model is loaded: load fiat-studio/demo on the Tuning tab' });
  const large = await runInputs(spec('fiat', { size: 50 }), context(), { backend: { ep: 'wasm', note: null }, tag });
  expect(large.ok ? null : large.message).toContain('train split has 19');
  // A drawn example without reasoning is left out of FIAT's pairs (the preflight says so before the run).
  const t = task();
  const { request: r, drawn } = await request(spec('fiat'), context({ task: t, reasoning: { ok: true, entries: reasoning(t, ['t0', 't1', 't2', 't3', 't4', 't5', 't6']) } }));
  expect(r.examples.length).toBe(drawn.filter((id) => !['t0', 't1', 't2', 't3', 't4', 't5', 't6'].includes(id)).length);
});

test('the ablations without PEFT train all weights: their plan says so, the stored settings too, and a resume prepares all weights again', async () => {
  for (const method of ['no-peft', 'no-instruction-tuned-base']) {
    const { request: r } = await request(spec(method));
    expect(r.plan.setup.allWeights).toBe(true);
    expect(allWeightsOf(r.settings)).toBe(true);
    // The same pairs as the LoRA run of the bare input: only the weights trained differ.
    expect(r.examples).toEqual((await request(spec('no-instruction'))).request.examples);
  }
  for (const method of ['fine-tune', 'fiat', 'no-cot', 'no-instruction', 'distilled-cot']) {
    const { request: r } = await request(spec(method));
    expect(r.plan.setup.allWeights).toBeUndefined();
    expect(allWeightsOf(r.settings)).toBe(false);
  }

  // The run controller (which the launcher drives with the request's plan) prepares the engine with it, from a
  // checkpoint on resume.
  const { request: r } = await request(spec('no-peft'));
  const prepared: TrainingSetup[] = [];
  const engine = {
    prepareTraining: (setup: TrainingSetup) => {
      prepared.push(setup);
      return Promise.resolve({ step: setup.checkpoint?.step ?? 0 } as TrainingInfo);
    },
    train: (t: TrainRequest) => Promise.resolve({ losses: Array.from({ length: t.steps }, () => 1), step: t.totalSteps ?? t.steps }),
    readCheckpoint: () => Promise.resolve({ step: r.plan.totalSteps, state: new Uint8Array([1]) }),
  };
  const controller = new TuningRunController(r.plan, {
    engine,
    examples: r.examples,
    evaluate: () => Promise.resolve('evaluated'),
    checkpoints: { save: () => Promise.resolve(), discardFrom: () => Promise.resolve(null) },
    onEvent: () => undefined,
  });
  const checkpoint = { step: 2, state: new Uint8Array([7]) };
  await controller.start(checkpoint);
  expect(prepared).toEqual([{ ...r.plan.setup, checkpoint }]);
  expect(prepared[0]!.allWeights).toBe(true);
});
