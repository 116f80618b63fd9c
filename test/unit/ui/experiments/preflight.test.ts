// What a queued run lacks, said before it starts, in the user's words.
import { expect, test } from 'vitest';
import type { MemoryEstimate, TrainingSetup } from '../../../../src/engine/engine.ts';
import { compileAnswerPattern } from '../../../../src/fiat/reasoning/answer-pattern.ts';
import { createPreflight, inputsProblem, runSetup } from '../../../../src/ui/features/experiments/runner/preflight.ts';
import { context, modelInfo, reasoning, snapshot, spec, TAU, task } from './fixtures.ts';

test('a run with everything it needs has no problem', () => {
  for (const method of ['icl', 'fine-tune', 'fiat', 'no-cot', 'no-instruction', 'distilled-cot']) expect(inputsProblem(spec(method), context())).toBeNull();
});

test('no small model, or another one than the run tunes: load it on the Tuning tab', () => {
  expect(inputsProblem(spec('fiat'), context({ model: null }))).toBe('no small model is loaded: load fiat-studio/demo on the Tuning tab');
  expect(inputsProblem(spec('fine-tune'), context({ model: modelInfo('HuggingFaceTB/SmolLM2-135M-Instruct') }))).toBe(
    'HuggingFaceTB/SmolLM2-135M-Instruct is loaded and this run tunes fiat-studio/demo: load fiat-studio/demo on the Tuning tab',
  );
  // ICL trains nothing: no model needed.
  expect(inputsProblem(spec('icl'), context({ model: null }))).toBeNull();
});

test('missing reasoning: how many of the drawn train examples and of the validation examples, for the methods that read it', () => {
  const t = task();
  const all = t.examples.filter((e) => e.split === 'train').map((e) => e.id);
  const ctx = context({ task: t, reasoning: { ok: true, entries: reasoning(t, [...all, 'v1']) } });
  expect(inputsProblem(spec('fiat'), ctx)).toBe('the reasoning ŷ_β is missing for 6 of 6 drawn train examples and 1 of 4 validation examples: generate it on the Reasoning tab');
  expect(inputsProblem(spec('distilled-cot'), ctx)).toContain('6 of 6 drawn train examples');
  // ICL reads the validation examples' answers only.
  expect(inputsProblem(spec('icl'), ctx)).toBe('the reasoning ŷ_β is missing for 1 of 4 validation examples: generate it on the Reasoning tab');
  for (const method of ['fine-tune', 'no-cot', 'no-instruction']) expect(inputsProblem(spec(method), ctx)).toBeNull();
  expect(inputsProblem(spec('fiat'), context({ reasoning: { ok: false, why: 'no large-model provider is set on the Reasoning tab' } }))).toBe(
    'FIAT reads the reasoning ŷ_β, and no large-model provider is set on the Reasoning tab',
  );
});

test('I_τ: template errors, and no {{reasoning}} slot where the method puts the reasoning', () => {
  const noSlot = { label: 'v2', hash: 'h2', text: TAU.replace('Reasoning: {{reasoning}}\n', '') };
  expect(inputsProblem(spec('fiat', { tau: noSlot }), context())).toBe('I_τ "v2" has no {{reasoning}} slot, which FIAT needs for the reasoning ŷ_β');
  expect(inputsProblem(spec('no-cot', { tau: noSlot }), context())).toBeNull();
  expect(inputsProblem(spec('distilled-cot', { tau: noSlot }), context())).toMatch(/^I_τ "v2" has (template errors|no \{\{reasoning\}\} slot)/);
  const broken = { label: 'v3', hash: 'h3', text: 'Answer {{question}} {{nope}}' };
  expect(inputsProblem(spec('fiat', { tau: broken }), context())).toMatch(/^I_τ "v3" has template errors: /);
  // The bare input reads no I_τ.
  expect(inputsProblem(spec('fine-tune', { tau: broken }), context())).toBeNull();
});

test('a size over the split, an answer pattern that does not compile', () => {
  expect(inputsProblem(spec('fiat', { size: 40 }), context())).toBe('a training set of 40 examples was asked, and the train split has 19 with a gold answer');
  const badPattern = context({ answerPattern: compileAnswerPattern({ source: '(', caseSensitive: false }) });
  expect(inputsProblem(spec('icl'), badPattern)).toMatch(/^the answer pattern does not compile \(.+\): fix it on the Reasoning tab$/);
  expect(inputsProblem(spec('fiat'), badPattern)).toBeNull();
  expect(inputsProblem(spec('fiat', { settings: { ...snapshot(), onlyAgreeing: true } }), badPattern)).toMatch(/^the answer pattern does not compile/);
});

test('the combined preflight: missing inputs first, then these checks, then the memory estimate of the run’s shapes', async () => {
  const estimate = (fits: boolean): Promise<MemoryEstimate> =>
    Promise.resolve({ fits, peakBytes: 3 * 2 ** 30, budgetBytes: 2 * 2 ** 30, advice: ['lower the batch'], limits: null } as unknown as MemoryEstimate);
  const tight = createPreflight({ context: () => Promise.resolve(context()), estimate: () => estimate(false) });
  expect(await tight(spec('fiat'))).toBe("does not fit in this device's GPU memory: needs about 3072 MiB of a 2048 MiB budget; lower the batch");
  expect(await tight(spec('icl'))).toBeNull();
  expect(await tight(spec('fiat', { tunedModel: null }))).toContain('name it first');
  expect(await tight(spec('fiat', { size: 40 }))).toContain('train split has 19');
  const roomy = createPreflight({ context: () => Promise.resolve(context()), estimate: () => estimate(true) });
  expect(await roomy(spec('fiat'))).toBeNull();
});

test('while a run started on the Tuning tab is going, no training run can start; ICL can', async () => {
  const busy = createPreflight({ context: () => Promise.resolve(context()), estimate: () => Promise.reject(new Error('not asked')), busy: () => 'a run is going' });
  expect(await busy(spec('fiat'))).toBe('a run is going');
  expect(await busy(spec('icl'))).toBeNull();
});

const memory = (fits: boolean): MemoryEstimate =>
  ({ fits, peakBytes: 3 * 2 ** 30, budgetBytes: 2 * 2 ** 30, advice: ['micro-batch 1 instead of 2'], limits: null }) as unknown as MemoryEstimate;

test("the methods that train all weights: available when the estimate of the run's own setup (all weights) fits", async () => {
  expect(inputsProblem(spec('no-peft'), context())).toBe('Training all weights needs a memory estimate for this model and device first.');
  expect(inputsProblem(spec('no-peft'), context(), memory(true))).toBeNull();
  expect(inputsProblem(spec('no-peft'), context(), memory(false))).toBe(
    'Training all weights does not fit: it needs about 3.0 GiB at its peak, over your budget of 2.0 GiB. Try: micro-batch 1 instead of 2.',
  );
  // The model comes first: no estimate of another model than the run's says anything about it.
  expect(inputsProblem(spec('no-peft'), context({ model: null }))).toBe('no small model is loaded: load fiat-studio/demo on the Tuning tab');

  const asked: TrainingSetup[] = [];
  const preflight = (fits: (setup: TrainingSetup) => boolean, ctx = context()) =>
    createPreflight({
      context: () => Promise.resolve(ctx),
      estimate: (setup) => {
        asked.push(setup);
        return Promise.resolve(memory(fits(setup)));
      },
    });
  // Only the full-weight setup is too big: the LoRA methods run, the full-weight ones say why, in availability's words.
  const fullTooBig = preflight((setup) => setup.allWeights !== true);
  expect(await fullTooBig(spec('fine-tune'))).toBeNull();
  expect(asked.map((s) => s.allWeights)).toEqual([undefined]);
  asked.length = 0;
  expect(await fullTooBig(spec('no-peft'))).toMatch(/^Training all weights does not fit: it needs about 3\.0 GiB/);
  expect(asked).toEqual([{ ...runSetup(spec('fine-tune')), allWeights: true }]);
  expect(runSetup(spec('no-peft'))).toEqual({ ...runSetup(spec('fine-tune')), allWeights: true });
  expect(await preflight(() => true)(spec('no-peft'))).toBeNull();
  // The wrong model loaded: said first, and nothing estimated for it.
  asked.length = 0;
  expect(await preflight(() => true, context({ model: modelInfo('other/model') }))(spec('no-peft'))).toBe(
    'other/model is loaded and this run tunes fiat-studio/demo: load fiat-studio/demo on the Tuning tab',
  );
  expect(asked).toEqual([]);
});

test('the run without an instruction-tuned base tunes the named base checkpoint: load it first, then it can start', async () => {
  const base = { repo: 'owner/base', revision: 'main', label: 'owner/base@main' };
  const run = spec('no-instruction-tuned-base', { tunedModel: base });
  const roomy = (model: ReturnType<typeof modelInfo> | null) => createPreflight({ context: () => Promise.resolve(context({ model })), estimate: () => Promise.resolve(memory(true)) });
  // The grid's model (the instruction-tuned one) is loaded: the run asks for its base.
  expect(await roomy(modelInfo())(run)).toBe('fiat-studio/demo is loaded and this run tunes owner/base@main: load owner/base@main on the Tuning tab');
  expect(await roomy(null)(run)).toBe('no small model is loaded: load owner/base@main on the Tuning tab');
  expect(await roomy({ ...modelInfo('owner/base@main'), base: { name: 'owner/base', revision: 'main' } })(run)).toBeNull();
  // Not named: the spec says so before anything else.
  expect(await roomy(modelInfo())(spec('no-instruction-tuned-base', { tunedModel: null }))).toContain('name it first');
});
