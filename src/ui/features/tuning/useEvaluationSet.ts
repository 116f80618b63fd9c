import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { EvaluationExample } from '../../../fiat/tuning/evaluate.ts';
import type { Split, Task } from '../../../fiat/task/task.ts';
import { useSmallModelTokenizer } from '../../lib/small-model.ts';
import { useSmallModel } from '../../lib/tuning-engine.ts';
import { budgetQuery } from './budget-query.ts';
import { useTrainingSetChoices, useTrainingShapes } from './tuning-store.ts';
import { useTrainingSet } from './useTrainingSet.ts';

/** Tokens a QA answer may take at evaluation (the prompts are cut to leave them room in the context). */
export const QA_NEW_TOKENS = 48;

/** Examples of the sample that cannot be evaluated, by why. */
export interface NotEvaluated {
  /** A classification example whose label is none of the task's. */
  readonly noGold: number;
  /** FIAT with {{reasoning}} and no finished reasoning, left out by the without-reasoning choice. */
  readonly noReasoning: number;
  /** Too long for the sequence length even with the passage cut to nothing. */
  readonly tooLong: number;
}

export interface EvaluationSetView {
  /** The prompts, formatted as the training prompts (same method, I_τ, chat template, passage cut). */
  readonly examples: readonly EvaluationExample[];
  /** The split's examples asked for (its first `limit`). */
  readonly asked: number;
  readonly notEvaluated: NotEvaluated;
  /** Counted with the loaded model's tokenizer: the prompts are the ones the engine will get. */
  readonly ready: boolean;
  /** I_τ has template errors (FIAT): nothing can be built. */
  readonly templateErrors: boolean;
  /** Whether the chat template is applied (the tab's choice and the model has one). */
  readonly chatTemplate: boolean;
  /** The first example's prompt before the chat template (labelCompletionsFor takes one). */
  readonly firstPrompt: string | undefined;
}

/**
 * The first `limit` examples of a split as evaluation prompts, built exactly as the run's training prompts are: the
 * training set's assembly (method, I_τ, reasoning, the without-reasoning choice), the chat template, and the same
 * token budget cutting the passage to `seqLen` (QA: to the context less QA_NEW_TOKENS, so the answer has room). The
 * run's evaluation at its steps and the Evaluate section both take their prompts from here.
 */
export function useEvaluationSet(task: Task, split: Split, limit: number, seqLen?: number): EvaluationSetView {
  const model = useSmallModel();
  const tokenizer = useSmallModelTokenizer();
  const [shapes] = useTrainingShapes();
  const { chatTemplate } = useTrainingSetChoices();
  const set = useTrainingSet(task, split, limit, 'evaluation');
  const applyChat = chatTemplate && tokenizer?.chat != null;
  const context = model.info?.contextLength ?? shapes.seqLen;
  const length = seqLen ?? shapes.seqLen;
  const evalLen = Math.min(length, task.spec.kind === 'extractive-qa' ? context - QA_NEW_TOKENS : context);
  const budget = useQuery(budgetQuery(set.set.ok && tokenizer ? { examples: set.set.examples, context: set.context, tokenizer, chatTemplate: applyChat, seqLen: evalLen } : null));
  const ready = model.info !== null && tokenizer !== null && budget.data !== undefined && !budget.isPlaceholderData;
  const examples = useMemo((): EvaluationExample[] => {
    if (!ready || !budget.data) return [];
    const byId = new Map(task.examples.map((e) => [e.id, e]));
    return budget.data.report.examples.flatMap((e) => (e.pair && byId.has(e.exampleId) ? [{ example: byId.get(e.exampleId)!, prompt: e.pair.prompt }] : []));
  }, [ready, budget.data, task.examples]);
  const counts = set.set.ok ? set.set.counts : null;
  return {
    examples,
    asked: counts?.total ?? 0,
    notEvaluated: {
      noGold: counts?.noGold ?? 0,
      noReasoning: counts ? counts.noReasoning - counts.trainedWithoutReasoning : 0,
      tooLong: ready ? (budget.data?.report.leftOut ?? 0) : 0,
    },
    ready,
    templateErrors: !set.set.ok,
    chatTemplate: applyChat,
    firstPrompt: set.set.ok ? set.set.examples[0]?.prompt : undefined,
  };
}
