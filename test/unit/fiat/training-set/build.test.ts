import { describe, expect, it } from 'vitest';
import { assembleExample } from '../../../../src/fiat/prompt/assemble.ts';
import type { AgreementStatus, ExampleAgreement } from '../../../../src/fiat/reasoning/agreement.ts';
import { buildTrainingSet, type TrainingSetInput, type TrainingSetOptions } from '../../../../src/fiat/training-set/build.ts';
import { classification, example, exemplar, qa } from '../fixtures.ts';

const tau = 'Q: {{question}} A: {{answer}} R: {{reasoning}}';
const instructions = { beta: '{{exemplars}} {{question}}', tau };

// x1 agrees, x2 disagrees, x3 has no reasoning, x4 is unparsed, x5 has a label that is none of the task's.
const examples = [example('x1', 'bn'), example('x2', 'ja'), example('x3', 'fi'), example('x4', 'bn', { label: '0' }), example('x5', 'bn', { label: '7' })];
const reasonings = new Map([
  ['x1', 'r1'],
  ['x2', 'r2'],
  ['x4', 'r4'],
  ['x5', 'r5'],
]);
const statuses: Record<string, AgreementStatus> = { x1: 'agrees', x2: 'disagrees', x3: 'missing', x4: 'unparsed', x5: 'disagrees' };
const agreements = new Map<string, ExampleAgreement>(Object.entries(statuses).map(([exampleId, status]) => [exampleId, { exampleId, status, prediction: null, f1: null }]));

const build = (options: Partial<TrainingSetOptions>, over: Partial<TrainingSetInput> = {}) =>
  buildTrainingSet({
    spec: classification,
    instructions,
    exemplars: [exemplar('e1', 'bn')],
    examples,
    reasoningFor: (id) => reasonings.get(id) ?? null,
    agreements,
    options: { method: 'fiat', onlyAgreeing: false, withoutReasoning: 'leave-out', ...options },
    ...over,
  });

const ok = (set: ReturnType<typeof build>) => {
  if (!set.ok) throw new Error('expected a training set');
  return set;
};

describe('buildTrainingSet', () => {
  it('FIAT: I_τ with the reasoning as the prompt, the gold verbalizer as the completion, the same text the one assembly gives', () => {
    const set = ok(build({}));
    expect(set.examples.map((e) => e.exampleId)).toEqual(['x1', 'x2', 'x4']);
    const first = set.examples[0]!;
    expect(first).toMatchObject({ prompt: 'Q: q-x1 A: a-x1 R: r1', completion: 'supported', lang: 'bn', reasoning: 'r1' });
    const assembled = assembleExample(classification, instructions, [exemplar('e1', 'bn')], examples[0]!, 'r1');
    expect(first.prompt).toBe(assembled.trainingPrompt);
    expect(first.completion).toBe(assembled.completion);
    expect(set.examples[2]!.completion).toBe('not supported');
    expect(set.counts).toEqual({ total: 5, used: 3, noGold: 1, noReasoning: 1, trainedWithoutReasoning: 0, notAgreeing: 0 });
    expect(set.leftOut).toEqual([
      { exampleId: 'x5', reason: 'no-gold' },
      { exampleId: 'x3', reason: 'no-reasoning' },
    ]);
  });

  it('trains an example without reasoning on I_τ with an empty reasoning slot when asked to', () => {
    const set = ok(build({ withoutReasoning: 'train-without' }));
    expect(set.examples.map((e) => e.exampleId)).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(set.examples[2]).toMatchObject({ prompt: 'Q: q-x3 A: a-x3 R: ', reasoning: '' });
    expect(set.counts).toMatchObject({ used: 4, noReasoning: 1, trainedWithoutReasoning: 1 });
  });

  it('only agreeing leaves out the examples whose reasoning disagrees or is unparsed, not those without one when they are trained without', () => {
    const leave = ok(build({ onlyAgreeing: true }));
    expect(leave.examples.map((e) => e.exampleId)).toEqual(['x1']);
    expect(leave.counts).toEqual({ total: 5, used: 1, noGold: 1, noReasoning: 1, trainedWithoutReasoning: 0, notAgreeing: 2 });
    expect(leave.leftOut.filter((l) => l.reason === 'not-agreeing').map((l) => l.exampleId)).toEqual(['x2', 'x4']);
    const without = ok(build({ onlyAgreeing: true, withoutReasoning: 'train-without' }));
    expect(without.examples.map((e) => e.exampleId)).toEqual(['x1', 'x3']);
  });

  it('an example whose agreement is not known yet is not agreeing', () => {
    const set = ok(build({ onlyAgreeing: true }, { agreements: new Map() }));
    expect(set.examples).toEqual([]);
    expect(set.counts.notAgreeing).toBe(3);
  });

  it('an I_τ without {{reasoning}} needs none: no example counts as without reasoning', () => {
    const set = ok(build({}, { instructions: { beta: '', tau: 'Q: {{question}}' } }));
    expect(set.examples.map((e) => e.prompt)).toEqual(['Q: q-x1', 'Q: q-x2', 'Q: q-x3', 'Q: q-x4']);
    expect(set.counts).toMatchObject({ used: 4, noReasoning: 0 });
  });

  it('plain fine-tuning: the bare input, no instruction and no reasoning, whatever the reasoning options', () => {
    const set = ok(build({ method: 'fine-tune', onlyAgreeing: true }));
    expect(set.examples.map((e) => e.exampleId)).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(set.examples[0]).toMatchObject({ prompt: 'Question: q-x1\nPassage: p-x1\nAnswer: a-x1', completion: 'supported', reasoning: undefined });
    expect(set.counts).toEqual({ total: 5, used: 4, noGold: 1, noReasoning: 0, trainedWithoutReasoning: 0, notAgreeing: 0 });
  });

  it('extractive QA: the answer span, or the no-answer text, is the completion; the bare input has no answer line', () => {
    const qaExamples = [example('y1', 'en'), example('y2', 'en', { answer: null })];
    const set = ok(build({ method: 'fine-tune' }, { spec: qa, examples: qaExamples }));
    expect(set.examples.map((e) => [e.prompt, e.completion])).toEqual([
      ['Question: q-y1\nPassage: p-y1', 'a-y1'],
      ['Question: q-y2\nPassage: p-y2', 'no answer'],
    ]);
  });

  it('refuses to build while I_τ has template errors (FIAT), but fine-tuning does not read I_τ', () => {
    const broken = { beta: '', tau: '{{question}} {{exemplars}} {{bogus}}' };
    const set = build({}, { instructions: broken });
    expect(set.ok).toBe(false);
    if (!set.ok) expect(set.errors.map((e) => e.code)).toEqual(['misplaced-variable', 'unknown-variable']);
    expect(build({ method: 'fine-tune' }, { instructions: broken }).ok).toBe(true);
  });
});
