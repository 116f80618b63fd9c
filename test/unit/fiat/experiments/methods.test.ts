import { describe, expect, it } from 'vitest';
import type { TrainingSetup } from '../../../../src/engine/engine.ts';
import { METHODS, methodById, type MethodId, methodSetup, trainingRecipe, trainsAllWeights } from '../../../../src/fiat/experiments/methods.ts';
import { buildTrainingSet, evaluationMethodOf, type TrainingSet } from '../../../../src/fiat/training-set/build.ts';
import type { Example, TaskSpec } from '../../../../src/fiat/task/task.ts';
import { classification, example, qa } from '../fixtures.ts';

// The starter I_τ's shape (fiat/project/task-setup.ts), short.
const tau = 'Judge the answer.\nQuestion: {{question}}\nPassage: {{passage}}\nAnswer: {{answer}}\nReasoning: {{reasoning}}\nLabel:';
const qaTau = 'Answer from the passage.\nQuestion: {{question}}\nPassage: {{passage}}\nReasoning: {{reasoning}}\nAnswer:';

function trainingSetOf(id: MethodId, spec: TaskSpec = classification, instruction = tau, examples: Example[] = [example('x1', 'bn')]): TrainingSet {
  const training = methodById(id).training;
  if (training === null) throw new Error(`${id} trains nothing`);
  return buildTrainingSet({
    spec,
    instructions: { beta: '', tau: instruction },
    exemplars: [],
    examples,
    reasoningFor: (exampleId) => (exampleId === 'x1' ? 'The passage says so.\n' : null),
    agreements: new Map(),
    options: { method: training.trainingMethod, onlyAgreeing: false, withoutReasoning: 'leave-out' },
  });
}

function pairOf(id: MethodId, spec?: TaskSpec, instruction?: string, examples?: Example[]) {
  const set = trainingSetOf(id, spec, instruction, examples);
  if (!set.ok) throw new Error(set.errors.map((e) => e.message).join('; '));
  return set.examples.map(({ prompt, completion }) => ({ prompt, completion }));
}

describe('the methods as training sets, on one classification example', () => {
  it('FIAT: I_τ with the reasoning, the verbalizer as completion', () => {
    expect(pairOf('fiat')).toEqual([{ prompt: 'Judge the answer.\nQuestion: q-x1\nPassage: p-x1\nAnswer: a-x1\nReasoning: The passage says so.\n\nLabel:', completion: 'supported' }]);
  });

  it('w/o CoT-augmented tuning: the same I_τ with its reasoning slot empty', () => {
    expect(pairOf('no-cot')).toEqual([{ prompt: 'Judge the answer.\nQuestion: q-x1\nPassage: p-x1\nAnswer: a-x1\nReasoning: \nLabel:', completion: 'supported' }]);
  });

  it('fine-tune and w/o instruction-augmented tuning: the bare input, no I_τ, no reasoning', () => {
    const bare = [{ prompt: 'Question: q-x1\nPassage: p-x1\nAnswer: a-x1', completion: 'supported' }];
    expect(pairOf('fine-tune')).toEqual(bare);
    expect(pairOf('no-instruction')).toEqual(bare);
    expect(pairOf('no-peft')).toEqual(bare);
    expect(pairOf('no-instruction-tuned-base')).toEqual(bare);
  });

  it('distilled CoT: two tasks per example, the answer after I_τ with an empty slot and the rationale after I_τ up to its slot', () => {
    expect(pairOf('distilled-cot')).toEqual([
      { prompt: 'Judge the answer.\nQuestion: q-x1\nPassage: p-x1\nAnswer: a-x1\nReasoning: \nLabel:', completion: 'supported' },
      { prompt: 'Judge the answer.\nQuestion: q-x1\nPassage: p-x1\nAnswer: a-x1\nReasoning:', completion: ' The passage says so.' },
    ]);
    const set = trainingSetOf('distilled-cot');
    expect(set.ok && set.examples.map((e) => e.target)).toEqual(['answer', 'rationale']);
    expect(set.ok && set.counts.used).toBe(1);
  });

  it('distilled CoT on extractive QA: the span as the answer task, the reasoning as the rationale task', () => {
    expect(pairOf('distilled-cot', qa, qaTau, [example('x1', 'bn', { label: undefined, answer: 'Dhaka' })])).toEqual([
      { prompt: 'Answer from the passage.\nQuestion: q-x1\nPassage: p-x1\nReasoning: \nAnswer:', completion: 'Dhaka' },
      { prompt: 'Answer from the passage.\nQuestion: q-x1\nPassage: p-x1\nReasoning:', completion: ' The passage says so.' },
    ]);
  });

  it('at inference a distilled model is asked the answer task only: no reasoning in its input', () => {
    expect(evaluationMethodOf('distilled-cot')).toBe('instruction-only');
    expect(evaluationMethodOf('fiat')).toBe('fiat');
    expect(evaluationMethodOf('fine-tune')).toBe('fine-tune');
  });

  it('ICL trains nothing', () => {
    expect(methodById('icl').training).toBeNull();
    expect(trainingRecipe(methodById('icl'))).toBeNull();
  });
});

describe('what each method needs', () => {
  it('the methods without reasoning use every example with gold; FIAT and distilled CoT leave out those without reasoning', () => {
    const examples = [example('x1', 'bn'), example('x2', 'ja')];
    const used = (id: MethodId) => {
      const set = trainingSetOf(id, classification, tau, examples);
      return set.ok ? set.examples.filter((e) => e.target === 'answer').map((e) => e.exampleId) : set.errors;
    };
    expect(used('fine-tune')).toEqual(['x1', 'x2']);
    expect(used('no-cot')).toEqual(['x1', 'x2']);
    expect(used('fiat')).toEqual(['x1']);
    expect(used('distilled-cot')).toEqual(['x1']);
  });

  it('distilled CoT never trains an example on an empty reasoning, even when FIAT would', () => {
    const set = buildTrainingSet({
      spec: classification,
      instructions: { beta: '', tau },
      exemplars: [],
      examples: [example('x2', 'ja')],
      reasoningFor: () => null,
      agreements: new Map(),
      options: { method: 'distilled-cot', onlyAgreeing: false, withoutReasoning: 'train-without' },
    });
    expect(set.ok && set.leftOut).toEqual([{ exampleId: 'x2', reason: 'no-reasoning' }]);
    expect(set.ok && set.counts).toMatchObject({ used: 0, noReasoning: 1, trainedWithoutReasoning: 0 });
  });

  it('distilled CoT refuses an I_τ without a reasoning slot, saying where', () => {
    const none = trainingSetOf('distilled-cot', classification, 'Question: {{question}}\nLabel:');
    expect(!none.ok && none.errors.map((e) => [e.code, e.startLine, e.startColumn])).toEqual([['missing-reasoning', 1, 1]]);
    // A variable after the slot is fine: the rationale's prompt stops before it, the answer's has it.
    expect(trainingSetOf('distilled-cot', classification, 'Reasoning: {{reasoning}}\nQuestion: {{question}}\nLabel:').ok).toBe(true);
  });

  it('the ablations are cumulative, each removing one ingredient of the one above (Table 3)', () => {
    const chain: MethodId[] = [];
    for (let id: MethodId | null = 'no-instruction-tuned-base'; id !== null; id = methodById(id).ablates) chain.unshift(id);
    expect(chain).toEqual(['fiat', 'no-cot', 'no-instruction', 'no-peft', 'no-instruction-tuned-base']);
    const t = (id: MethodId) => methodById(id).training!;
    expect([t('fiat').trainingMethod, t('no-cot').trainingMethod, t('no-instruction').trainingMethod]).toEqual(['fiat', 'instruction-only', 'fine-tune']);
    expect([t('no-instruction').tuning, t('no-peft').tuning]).toEqual(['lora', 'full']);
    expect([t('no-peft').base, t('no-instruction-tuned-base').base]).toEqual(['instruction-tuned', 'base-checkpoint']);
  });

  it('only the two last ablations train all weights, and their setup says so; fine-tune shares its recipe with w/o instruction-augmented tuning', () => {
    expect(METHODS.filter(trainsAllWeights).map((m) => m.id)).toEqual(['no-peft', 'no-instruction-tuned-base']);
    const setup: TrainingSetup = { lora: { r: 8, alpha: 16, targets: ['q', 'v'] }, batchSize: 8, microBatchSize: 2, seqLen: 512, ep: 'webgpu', seed: 3 };
    expect(methodSetup(methodById('no-peft'), setup)).toEqual({ ...setup, allWeights: true });
    expect(methodSetup(methodById('no-instruction-tuned-base'), setup)).toEqual({ ...setup, allWeights: true });
    for (const id of ['fine-tune', 'fiat', 'no-cot', 'no-instruction', 'distilled-cot'] as const) expect(methodSetup(methodById(id), setup)).toBe(setup);
    const recipes = METHODS.map(trainingRecipe).filter((r) => r !== null);
    expect(recipes.length - new Set(recipes).size).toBe(1);
    expect(trainingRecipe(methodById('fine-tune'))).toBe(trainingRecipe(methodById('no-instruction')));
  });
});
