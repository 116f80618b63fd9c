import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ExampleAgreement } from '../../../fiat/reasoning/agreement.ts';
import { compileAnswerPattern, type CompiledAnswerPattern } from '../../../fiat/reasoning/answer-pattern.ts';
import type { ReasoningCacheEntry } from '../../../fiat/reasoning/cache.ts';
import type { PromptKeys } from '../../../fiat/reasoning/prompt-keys.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { memoizeLast } from '../../lib/memoize-last.ts';
import { useDebounced } from '../../lib/use-debounced.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { reasoningQueries } from './reasoning-queries.ts';

export type TaskReasoning =
  | { status: 'no-provider' | 'template-errors' | 'loading' }
  | { status: 'ready'; keys: PromptKeys; entries: Map<string, ReasoningCacheEntry> };

/** Hashing every prompt waits until I_β has stopped changing for this long. */
const SETTLE_MS = 300;

/**
 * The cached reasoning of every example of the task under the current I_β, exemplars and provider.
 * Several components use it; react-query runs each lookup once.
 */
export function useTaskReasoning(task: Task): TaskReasoning {
  const settings = useStudio((s) => s.project.reasoning.provider);
  const beta = useDebounced(useTaskSetup((t) => t.instructions.beta), SETTLE_MS);
  const exemplars = useDebounced(useTaskSetup((t) => t.exemplars), SETTLE_MS);
  const input = useMemo(() => (settings ? { task, beta, exemplars, settings } : null), [settings, task, beta, exemplars]);
  // Memoised: building the options describes the provider, and renders of the list are frequent.
  const keyOptions = useMemo(() => reasoningQueries.taskKeys(input), [input]);
  const keys = useQuery(keyOptions);
  const prompts = keys.data?.ok ? keys.data : undefined;
  const entryOptions = useMemo(() => reasoningQueries.taskEntries(prompts ? input : null, prompts), [input, prompts]);
  const entries = useQuery(entryOptions);
  return useMemo((): TaskReasoning => {
    if (!settings) return { status: 'no-provider' };
    if (keys.data?.ok === false) return { status: 'template-errors' };
    if (!prompts || !entries.data) return { status: 'loading' };
    return { status: 'ready', keys: prompts, entries: entries.data };
  }, [settings, keys.data, prompts, entries.data]);
}

export interface TaskAgreements {
  pattern: CompiledAnswerPattern;
  /** Per example; null until the task's reasoning is loaded and read, or when the pattern does not compile. */
  agreements: Map<string, ExampleAgreement> | null;
}

// Shared by every mounted reader: the answer-pattern field, the parsed answer, the example list's badges and
// the quality section would otherwise each compile the pattern (and so each read every example's answer
// again: the agreements query is keyed by the compiled pattern's source and flags, and by the entries).
const compilePattern = memoizeLast((source: string, caseSensitive: boolean) => compileAnswerPattern({ source, caseSensitive }));

/** The task's answer pattern, compiled (or why it does not compile). */
export function useAnswerPattern(): CompiledAnswerPattern {
  const source = useTaskSetup((t) => t.answerPattern.source);
  const caseSensitive = useTaskSetup((t) => t.answerPattern.caseSensitive);
  return compilePattern(source, caseSensitive);
}

/** Whether each example's reasoning agrees with gold, read with the task's answer pattern and synonyms. */
export function useTaskAgreements(task: Task): TaskAgreements {
  const reasoning = useTaskReasoning(task);
  const pattern = useAnswerPattern();
  const synonyms = useTaskSetup((t) => t.answerSynonyms);
  const entries = reasoning.status === 'ready' ? reasoning.entries : null;
  const regex = pattern.ok ? pattern.regex : null;
  const options = useMemo(
    () => reasoningQueries.agreements(entries && regex ? { task, entries, pattern: regex, synonyms } : null),
    [task, entries, regex, synonyms],
  );
  const agreements = useQuery(options).data ?? null;
  return { pattern, agreements: entries && regex ? agreements : null };
}
