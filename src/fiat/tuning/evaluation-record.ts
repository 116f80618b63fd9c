import type { EvaluationTag, StoredRun } from '../storage/tuning-repository.ts';

/**
 * Where an evaluation made after a run is kept, and how it is named. A run's adapter is evaluated into the run's own
 * record; the base model and imported adapters, which belong to no run, into the task's record of kind 'evaluations'
 * for the loaded model (made at the first such evaluation), listed with the runs. Pure functions over records.
 */
export type StoredEvaluation = StoredRun['evaluations'][number];

/** The task's record of evaluations without a run on this model, if there is one. */
export function evaluationsRecordOf(runs: readonly StoredRun[], taskId: string, modelLabel: string): StoredRun | undefined {
  return runs.find((r) => r.kind === 'evaluations' && r.taskId === taskId && r.model.label === modelLabel);
}

/** A new, empty record of evaluations without a run (no steps, no losses; never resumable: status 'done'). */
export function newEvaluationsRecord(id: string, taskId: string, model: StoredRun['model'], now: number): StoredRun {
  return {
    id,
    kind: 'evaluations',
    taskId,
    createdAt: now,
    updatedAt: now,
    model,
    settings: {},
    tauVersion: '',
    dataHash: '',
    status: 'done',
    step: 0,
    totalSteps: 1,
    losses: [],
    evaluations: [],
  };
}

/** The record with the evaluation added after the others (an evaluation is never replaced: each has its time). */
export function withEvaluation(record: StoredRun, evaluation: StoredEvaluation, now: number): StoredRun {
  return { ...record, updatedAt: now, evaluations: [...record.evaluations, evaluation] };
}

/** Identifies an evaluation within its record: its step, and its time when it was made after the run. */
export function evaluationKey(evaluation: { readonly step: number; readonly tag?: EvaluationTag | undefined }): string {
  return evaluation.tag ? `${evaluation.step}@${evaluation.tag.at}` : String(evaluation.step);
}

/** The model state an evaluation ran with, in words: "the run's adapter at step 6", "the base model". */
export function stateText(evaluation: { readonly step: number; readonly tag?: EvaluationTag | undefined }): string {
  const state = evaluation.tag?.state ?? { kind: 'run' };
  if (state.kind === 'base') return 'the base model (no adapter)';
  if (state.kind === 'imported') return `the imported adapter (${state.from})`;
  return `the run's adapter at step ${evaluation.step}`;
}

/** What an evaluation ran on, in words: "validation (first 20)", "train (all 250)". */
export function sampleText(tag: EvaluationTag): string {
  return tag.sample === null ? `${tag.split} (all ${tag.asked})` : `${tag.split} (first ${tag.sample})`;
}

/**
 * How an evaluation is named where it is chosen and shown. A run's own evaluation keeps its step ("step 4",
 * "Metrics at step 4"); one made after the run names its state and split.
 */
export function evaluationTitle(evaluation: { readonly step: number; readonly tag?: EvaluationTag | undefined }): { option: string; heading: string; caption: string } {
  const { tag } = evaluation;
  if (!tag) return { option: `step ${evaluation.step}`, heading: `Evaluation at step ${evaluation.step}`, caption: `Metrics at step ${evaluation.step}` };
  const what = `${stateText(evaluation)} on ${sampleText(tag)}`;
  return { option: what, heading: `Evaluation of ${what}`, caption: `Metrics of ${what}` };
}

/** The examples that could not be evaluated, said once: null when every example asked for was. */
export function notEvaluatedText(tag: EvaluationTag): string | null {
  const { noGold, noReasoning, tooLong } = tag.notEvaluated;
  const total = noGold + noReasoning + tooLong;
  if (total === 0) return null;
  const parts = [noReasoning > 0 ? `${noReasoning} without a reasoning` : '', tooLong > 0 ? `${tooLong} too long even with no passage` : '', noGold > 0 ? `${noGold} without a gold label` : ''].filter(Boolean);
  return `${total} of the ${tag.asked} examples asked for could not be evaluated: ${parts.join(', ')}.`;
}

/** The evaluation the runs list sums a record up by: a run's latest own one (not one made after it), else the latest. */
export function headlineEvaluation(record: StoredRun): StoredEvaluation | null {
  const own = record.evaluations.filter((e) => !e.tag);
  const pool = own.length > 0 ? own : record.evaluations;
  return pool.reduce<StoredEvaluation | null>((a, e) => (a === null || e.step > a.step || (e.step === a.step && (e.tag?.at ?? 0) >= (a.tag?.at ?? 0)) ? e : a), null);
}

/** What the prompts of an evaluation are built with now: the Tuning tab's choices and I_τ's hash (sha256Hex). */
export interface PromptChoices {
  readonly method: string;
  readonly chatTemplate: boolean;
  readonly withoutReasoning: string;
  readonly tauVersion: string;
}

/**
 * How the prompts built now differ from those a run was trained on (its stored settings and I_τ version), in words;
 * empty when they are built the same way. An evaluation of the run's adapter is then on prompts it was not tuned on.
 */
export function promptDifferences(run: StoredRun, now: PromptChoices): string[] {
  const out: string[] = [];
  const { settings } = run;
  if (typeof settings['method'] === 'string' && settings['method'] !== now.method) out.push(`the method was ${settings['method']}, now ${now.method}`);
  if (typeof settings['chatTemplate'] === 'boolean' && settings['chatTemplate'] !== now.chatTemplate) out.push(`the chat template was ${settings['chatTemplate'] ? 'applied' : 'not applied'}, now ${now.chatTemplate ? 'it is' : 'it is not'}`);
  const without = (choice: string) => (choice === 'leave-out' ? 'left out' : choice === 'train-without' ? 'given an empty one' : choice);
  if (typeof settings['withoutReasoning'] === 'string' && settings['withoutReasoning'] !== now.withoutReasoning) {
    out.push(`examples without a reasoning were ${without(settings['withoutReasoning'])}, now ${without(now.withoutReasoning)}`);
  }
  // Every method but the bare input reads I_τ (FIAT, instruction only, distilled CoT).
  if (run.tauVersion !== '' && run.tauVersion !== now.tauVersion && now.method !== 'fine-tune') out.push('I_τ has changed since');
  return out;
}

/** The sequence length a run was trained with (its stored plan), or null when its settings do not say. */
export function runSeqLen(run: StoredRun): number | null {
  const plan = run.settings['plan'];
  if (typeof plan !== 'object' || plan === null || !('setup' in plan)) return null;
  const setup = plan.setup;
  const seqLen = typeof setup === 'object' && setup !== null && 'seqLen' in setup ? setup.seqLen : null;
  return typeof seqLen === 'number' && Number.isInteger(seqLen) && seqLen > 0 ? seqLen : null;
}
