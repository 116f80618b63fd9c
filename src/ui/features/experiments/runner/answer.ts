import type { AnswerWithoutTraining } from '../../../../fiat/experiments/driver.ts';
import { iclEvaluation } from '../../../../fiat/experiments/icl.ts';
import { predictFromReasoning } from '../../../../fiat/reasoning/agreement.ts';
import { answerTaskOf } from '../../../../fiat/reasoning/quality.ts';
import { targetOf } from '../../../../fiat/task/task.ts';
import type { Evaluation } from '../../../../fiat/tuning/evaluate.ts';
import type { RunSpec } from '../../../../fiat/experiments/spec.ts';
import { finishedReasoning, type RunnerContext } from './context.ts';
import { snapshotOf } from './settings-snapshot.ts';
import { validationExamplesOf } from './training-pairs.ts';

/**
 * ICL's evaluation (the driver's AnswerWithoutTraining): θ_β's answers parsed out of the cached ŷ_β with the task's
 * answer pattern and synonyms, scored by fiat/experiments iclEvaluation on the validation examples the trained runs
 * are evaluated on (the first `validationSize` of the split that have a gold answer). A missing or unfinished
 * reasoning is a wrong answer (the preflight has said how many are missing before).
 */
export function iclAnswers(spec: RunSpec, context: RunnerContext): Evaluation {
  const { task, answerPattern } = context;
  if (!answerPattern.ok) throw new Error(`the answer pattern does not compile: ${answerPattern.message}`);
  if (!context.reasoning.ok) throw new Error(context.reasoning.why);
  const examples = validationExamplesOf(task.examples, snapshotOf(spec.settings).run.validationSize).filter((e) => targetOf(task.spec, e) !== undefined);
  const answerTask = answerTaskOf(task.spec, context.synonyms);
  return iclEvaluation(task.spec, examples, (example) => {
    const reasoning = finishedReasoning(context.reasoning, example.id);
    return reasoning ? predictFromReasoning(reasoning, answerPattern.regex, answerTask) : null;
  });
}

export function createAnswerWithoutTraining(loadContext: () => Promise<RunnerContext>): AnswerWithoutTraining {
  return async (spec, signal) => {
    const context = await loadContext();
    signal.throwIfAborted();
    return iclAnswers(spec, context);
  };
}
