import { create } from 'zustand';
import type { InferenceAdapter, ModelInfo } from '../../../engine/engine.ts';
import { EngineError } from '../../../engine/errors.ts';
import type { EvaluationTag, StoredRun } from '../../../fiat/storage/tuning-repository.ts';
import type { TaskSpec } from '../../../fiat/task/task.ts';
import { evaluateExamples, type EvaluationExample } from '../../../fiat/tuning/evaluate.ts';
import { evaluationKey, evaluationsRecordOf, newEvaluationsRecord, withEvaluation } from '../../../fiat/tuning/evaluation-record.ts';
import { newId } from '../../lib/ids.ts';
import { queryClient } from '../../lib/query-client.ts';
import { tuningEngine } from '../../lib/tuning-engine.ts';
import { tuningRepository } from '../../lib/tuning-repository.ts';
import type { ImportedAdapter } from './adapter-store.ts';
import { isRunning } from './run-launcher.ts';
import { liveRunOf, useRunStore } from './run-store.ts';
import { invalidateRuns } from './runs-queries.ts';

/**
 * Evaluates a model state on a set of prompts for the studio, outside React (it goes on while the user switches
 * tabs), through the tuning engine, and saves the result as an evaluation tagged with its split and state: a run's
 * adapter (its latest checkpoint: the engine need not have the run's training prepared, so this works after a reload)
 * into the run's record, the base model or the imported adapter into the task's record of evaluations without a run
 * (evaluation-record.ts). The saved record is then shown, with this evaluation chosen.
 */
export type EvaluatedState = { readonly kind: 'run'; readonly runId: string } | { readonly kind: 'base' } | { readonly kind: 'imported'; readonly imported: ImportedAdapter };

export interface EvaluateRequest {
  readonly taskId: string;
  readonly spec: TaskSpec;
  readonly model: ModelInfo;
  readonly state: EvaluatedState;
  /** The prompts, built as the training prompts (useEvaluationSet). */
  readonly examples: readonly EvaluationExample[];
  /** Classification: the label completions as training formats them. */
  readonly labelCompletions?: readonly string[];
  /** The split, how much of it, and what could not be evaluated (the tag's, less the state and time). */
  readonly sample: Omit<EvaluationTag, 'state' | 'at'>;
}

interface EvaluateState {
  /** The evaluation in progress: what it is of, examples done of all. */
  readonly evaluating: { readonly taskId: string; readonly done: number; readonly total: number } | null;
}

export const useEvaluateStore = create<EvaluateState>()(() => ({ evaluating: null }));

let current: AbortController | null = null;

export type EvaluateResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

export async function startEvaluation(request: EvaluateRequest): Promise<EvaluateResult> {
  if (current) return { ok: false, message: 'An evaluation is already going in this tab.' };
  if (isRunning()) return { ok: false, message: 'A run is going in this tab: evaluate when it has paused or finished.' };
  if (request.examples.length === 0) return { ok: false, message: 'No example of this sample can be evaluated.' };
  const controller = new AbortController();
  current = controller;
  useEvaluateStore.setState({ evaluating: { taskId: request.taskId, done: 0, total: request.examples.length } });
  try {
    const { adapter, record, step, state } = await target(request);
    const evaluation = await evaluateExamples(tuningEngine(), request.spec, request.examples, {
      adapter,
      signal: controller.signal,
      ...(request.labelCompletions ? { labelCompletions: request.labelCompletions } : {}),
      onProgress: (done, total) => useEvaluateStore.setState({ evaluating: { taskId: request.taskId, done, total } }),
    });
    const now = Date.now();
    const entry = { step, result: evaluation, tag: { ...request.sample, state, at: now } };
    // Read again just before the write: the record may have changed while the examples were evaluated.
    const latest = (await tuningRepository.getRun(record.id)) ?? record;
    const saved = withEvaluation(latest, entry, now);
    await tuningRepository.saveRun(saved);
    await invalidateRuns(queryClient);
    useRunStore.getState().setRun(liveRunOf(saved), evaluationKey(entry));
    return { ok: true };
  } catch (error) {
    if (error instanceof EngineError && error.kind === 'cancelled') return { ok: false, message: 'Evaluation cancelled; nothing was saved.' };
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    current = null;
    useEvaluateStore.setState({ evaluating: null });
  }
}

export function cancelEvaluation(): void {
  current?.abort();
}

/** The adapter to run, the record the result goes to, the step it is at and the state's tag. */
async function target(request: EvaluateRequest): Promise<{ adapter: InferenceAdapter; record: StoredRun; step: number; state: EvaluationTag['state'] }> {
  const { state, model } = request;
  if (state.kind === 'run') {
    const run = await tuningRepository.getRun(state.runId);
    if (!run) throw new Error('This run is no longer saved.');
    if (run.model.label !== model.label) throw new Error(`This run tunes ${run.model.label}; load that model to evaluate it.`);
    const checkpoint = await tuningRepository.latestCheckpoint(run.id);
    if (!checkpoint) throw new Error('This run has no checkpoint to evaluate (it stopped before its first one, or it came from a project file, which carries none).');
    return { adapter: { kind: 'checkpoint', checkpoint }, record: run, step: checkpoint.step, state: { kind: 'run' } };
  }
  const runs = await tuningRepository.listRuns(request.taskId);
  const record = evaluationsRecordOf(runs, request.taskId, model.label) ?? newEvaluationsRecord(newId(), request.taskId, { label: model.label, repo: null, revision: null }, Date.now());
  if (state.kind === 'base') return { adapter: { kind: 'none' }, record, step: 0, state: { kind: 'base' } };
  return { adapter: { kind: 'peft', adapter: state.imported.adapter }, record, step: 0, state: { kind: 'imported', from: state.imported.from } };
}
