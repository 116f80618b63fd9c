// Evaluations made after a run (fiat/tuning/evaluation-record.ts, tuning-repository.ts's tag): old records without a
// tag still parse, where an evaluation without a run is kept, how evaluations are named and summed up, and how the
// prompts built now differ from a run's.
import { describe, expect, it } from 'vitest';
import { StoredRunSchema, type EvaluationTag, type StoredRun } from '../../../../src/fiat/storage/tuning-repository.ts';
import {
  evaluationKey,
  evaluationsRecordOf,
  evaluationTitle,
  headlineEvaluation,
  newEvaluationsRecord,
  notEvaluatedText,
  promptDifferences,
  runSeqLen,
  withEvaluation,
} from '../../../../src/fiat/tuning/evaluation-record.ts';

const run: StoredRun = {
  id: 'run-1', taskId: 'task', createdAt: 1, updatedAt: 2,
  model: { label: 'demo@main', repo: null, revision: null },
  settings: { method: 'fiat', chatTemplate: true, withoutReasoning: 'leave-out', plan: { setup: { seqLen: 256 } } },
  tauVersion: 'tau-1', dataHash: 'd', status: 'done', step: 6, totalSteps: 6, losses: [],
  evaluations: [{ step: 0, result: 'a' }, { step: 6, result: 'b' }],
};
const tag = (patch: Partial<EvaluationTag> = {}): EvaluationTag => ({
  split: 'train', sample: 20, state: { kind: 'run' }, asked: 20, notEvaluated: { noGold: 0, noReasoning: 0, tooLong: 0 }, at: 100, ...patch,
});

describe('the stored record', () => {
  it('parses a record written before tags and kinds, and one with both', () => {
    expect(StoredRunSchema.parse(run)).toEqual(run);
    const tagged = { ...run, kind: 'evaluations', evaluations: [{ step: 0, result: 'c', tag: tag({ state: { kind: 'imported', from: 'x' } }) }] };
    expect(StoredRunSchema.parse(tagged)).toEqual(tagged);
  });

  it('refuses a tag of an unknown split or state', () => {
    expect(StoredRunSchema.safeParse({ ...run, evaluations: [{ step: 0, result: 'c', tag: { ...tag(), split: 'dev' } }] }).success).toBe(false);
    expect(StoredRunSchema.safeParse({ ...run, evaluations: [{ step: 0, result: 'c', tag: { ...tag(), state: { kind: 'merged' } } }] }).success).toBe(false);
  });
});

describe('where an evaluation goes', () => {
  it('finds the record of evaluations without a run for the task and model, never a run', () => {
    const base = newEvaluationsRecord('e-1', 'task', run.model, 5);
    expect(StoredRunSchema.parse(base)).toEqual(base);
    expect(evaluationsRecordOf([run, base], 'task', 'demo@main')).toBe(base);
    expect(evaluationsRecordOf([run, base], 'task', 'other@main')).toBeUndefined();
    expect(evaluationsRecordOf([run], 'task', 'demo@main')).toBeUndefined();
  });

  it('adds an evaluation after the others, replacing none at the same step', () => {
    const added = withEvaluation(run, { step: 6, result: 'c', tag: tag() }, 9);
    expect(added.evaluations.map((e) => e.result)).toEqual(['a', 'b', 'c']);
    expect(added.updatedAt).toBe(9);
    expect(new Set(added.evaluations.map(evaluationKey)).size).toBe(3);
  });
});

describe('names', () => {
  it("keeps a run's own evaluation named by its step, and names one made after by its state and sample", () => {
    expect(evaluationTitle({ step: 4 })).toEqual({ option: 'step 4', heading: 'Evaluation at step 4', caption: 'Metrics at step 4' });
    expect(evaluationTitle({ step: 4, tag: tag() }).caption).toBe("Metrics of the run's adapter at step 4 on train (first 20)");
    expect(evaluationTitle({ step: 0, tag: tag({ state: { kind: 'base' }, sample: null, split: 'test', asked: 7 }) }).option).toBe('the base model (no adapter) on test (all 7)');
    expect(evaluationTitle({ step: 0, tag: tag({ state: { kind: 'imported', from: 'my-adapter/' } }) }).option).toBe('the imported adapter (my-adapter/) on train (first 20)');
  });

  it('says what could not be evaluated, and nothing when all could', () => {
    expect(notEvaluatedText(tag())).toBeNull();
    expect(notEvaluatedText(tag({ notEvaluated: { noGold: 1, noReasoning: 3, tooLong: 2 } }))).toBe(
      '6 of the 20 examples asked for could not be evaluated: 3 without a reasoning, 2 too long even with no passage, 1 without a gold label.',
    );
  });

  it("sums a run up by its latest own evaluation, a record without a run by its latest", () => {
    const after = withEvaluation(run, { step: 6, result: 'c', tag: tag() }, 9);
    expect(headlineEvaluation(after)?.result).toBe('b');
    const base = withEvaluation(withEvaluation(newEvaluationsRecord('e', 'task', run.model, 1), { step: 0, result: 'x', tag: tag({ at: 1 }) }, 2), { step: 0, result: 'y', tag: tag({ at: 2 }) }, 3);
    expect(headlineEvaluation(base)?.result).toBe('y');
    expect(headlineEvaluation(newEvaluationsRecord('e', 'task', run.model, 1))).toBeNull();
  });
});

describe("the run's prompts", () => {
  const same = { method: 'fiat', chatTemplate: true, withoutReasoning: 'leave-out', tauVersion: 'tau-1' };

  it('finds no difference when the prompts are built as the run’s, and names each one that differs', () => {
    expect(promptDifferences(run, same)).toEqual([]);
    expect(promptDifferences(run, { method: 'fine-tune', chatTemplate: false, withoutReasoning: 'train-without', tauVersion: 'tau-2' })).toEqual([
      'the method was fiat, now fine-tune',
      'the chat template was applied, now it is not',
      'examples without a reasoning were left out, now given an empty one',
    ]);
    expect(promptDifferences(run, { ...same, tauVersion: 'tau-2' })).toEqual(['I_τ has changed since']);
    // Every method that reads I_τ notices it changed; the bare input does not read it.
    const distilled = { ...run, settings: { ...run.settings, method: 'distilled-cot' } };
    expect(promptDifferences(distilled, { ...same, method: 'distilled-cot', tauVersion: 'tau-2' })).toEqual(['I_τ has changed since']);
    const bare = { ...run, settings: { ...run.settings, method: 'fine-tune' } };
    expect(promptDifferences(bare, { ...same, method: 'fine-tune', tauVersion: 'tau-2' })).toEqual([]);
    // A run whose settings do not say (a seeded or older record) differs in nothing it can tell.
    expect(promptDifferences({ ...run, settings: {}, tauVersion: '' }, { ...same, method: 'fine-tune' })).toEqual([]);
  });

  it('reads the sequence length of the run’s plan, and null where it has none', () => {
    expect(runSeqLen(run)).toBe(256);
    expect(runSeqLen({ ...run, settings: {} })).toBeNull();
    expect(runSeqLen({ ...run, settings: { plan: { setup: { seqLen: 'long' } } } })).toBeNull();
  });
});
