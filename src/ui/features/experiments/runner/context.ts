import type { ModelInfo } from '../../../../engine/engine.ts';
import type { Exemplar } from '../../../../fiat/exemplars/exemplars.ts';
import { compileAnswerPattern, type CompiledAnswerPattern } from '../../../../fiat/reasoning/answer-pattern.ts';
import type { AnswerSynonyms } from '../../../../fiat/reasoning/answer-synonyms.ts';
import { isFinished, type BetaReasoning } from '../../../../fiat/reasoning/beta-output.ts';
import type { Task } from '../../../../fiat/task/task.ts';
import { queryClient } from '../../../lib/query-client.ts';
import { currentSmallModelTokenizer, type SmallModelTokenizer } from '../../../lib/small-model.ts';
import { smallModelStore } from '../../../lib/tuning-engine.ts';
import { studioStore } from '../../../state/store.ts';
import { reasoningQueries } from '../../reasoning/reasoning-queries.ts';

/**
 * What the runner reads of the studio besides a run's spec, gathered outside React: the task's setup (exemplars, the
 * answer pattern and synonyms), the cached reasoning ŷ_β of its examples under the current I_β and provider (read as
 * useTaskReasoning reads it, through the same react-query cache), and the small model loaded with its tokenizer. The
 * runner's pure parts (run-inputs, answer, preflight) take it as data, so tests build one by hand.
 */
export interface RunnerContext {
  readonly task: Task;
  readonly exemplars: readonly Exemplar[];
  readonly answerPattern: CompiledAnswerPattern;
  readonly synonyms: AnswerSynonyms;
  readonly reasoning: ReasoningLookup;
  readonly model: ModelInfo | null;
  readonly tokenizer: SmallModelTokenizer | null;
}

/** The cached reasoning by example id, or why none can be read (no provider, I_β template errors). */
export type ReasoningLookup = { readonly ok: true; readonly entries: ReadonlyMap<string, BetaReasoning> } | { readonly ok: false; readonly why: string };

/** An example's finished ŷ_β (a generation cut at max tokens or empty is none), or null. */
export function finishedReasoning(lookup: ReasoningLookup, exampleId: string): BetaReasoning | null {
  if (!lookup.ok) return null;
  const entry = lookup.entries.get(exampleId);
  return entry && isFinished(entry) ? entry : null;
}

export async function loadRunnerContext(task: Task): Promise<RunnerContext> {
  const { project } = studioStore.getState();
  const setup = project.tasks[task.id];
  if (!setup) throw new Error(`The project has no setup for the task "${task.id}".`);
  return {
    task,
    exemplars: setup.exemplars,
    answerPattern: compileAnswerPattern(setup.answerPattern),
    synonyms: setup.answerSynonyms,
    reasoning: await loadReasoning(task, setup.instructions.beta, setup.exemplars),
    model: smallModelStore.getState().info,
    tokenizer: currentSmallModelTokenizer(),
  };
}

async function loadReasoning(task: Task, beta: string, exemplars: readonly Exemplar[]): Promise<ReasoningLookup> {
  const settings = studioStore.getState().project.reasoning.provider;
  if (!settings) return { ok: false, why: 'no large-model provider is set on the Reasoning tab' };
  const input = { task, beta, exemplars, settings };
  const keys = await queryClient.fetchQuery(reasoningQueries.taskKeys(input));
  if (!keys.ok) return { ok: false, why: 'I_β has template errors, so its reasoning cannot be looked up' };
  return { ok: true, entries: await queryClient.fetchQuery(reasoningQueries.taskEntries(input, keys)) };
}
