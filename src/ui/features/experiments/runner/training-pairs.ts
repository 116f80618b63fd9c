import { agreementsFor } from '../../../../fiat/reasoning/quality.ts';
import type { ExampleAgreement } from '../../../../fiat/reasoning/agreement.ts';
import type { Example } from '../../../../fiat/task/task.ts';
import { buildTrainingSet, evaluationMethodOf, type TrainingMethod, type TrainingPromptContext, type TrainingSet } from '../../../../fiat/training-set/build.ts';
import { finishedReasoning, type RunnerContext } from './context.ts';

/**
 * The training set (fiat/training-set/build.ts) of a run's drawn examples, and the evaluation set of its validation
 * examples, as the Tuning tab builds them (useTrainingSet) but from the run's own I_τ and method. Examples without a
 * finished reasoning are left out (the preflight has said so before the run: none should be); only-agreeing applies
 * to training only, never to which examples are evaluated.
 */
export interface PairsInput {
  readonly context: RunnerContext;
  readonly tau: string;
  readonly method: TrainingMethod;
  readonly onlyAgreeing: boolean;
}

const NO_AGREEMENTS: ReadonlyMap<string, ExampleAgreement> = new Map();

export function promptContext(input: PairsInput, method: TrainingMethod): TrainingPromptContext {
  return { spec: input.context.task.spec, instructions: { beta: '', tau: input.tau }, exemplars: input.context.exemplars, method };
}

export function trainingSetOf(input: PairsInput, examples: readonly Example[]): TrainingSet {
  return setOf(input, examples, input.method, input.onlyAgreeing);
}

export function evaluationSetOf(input: PairsInput, examples: readonly Example[]): TrainingSet {
  return setOf(input, examples, evaluationMethodOf(input.method), false);
}

/** The first `size` examples of the validation split, in the dataset's order: the same for every run (and ICL). */
export function validationExamplesOf(examples: readonly Example[], size: number): Example[] {
  return examples.filter((e) => e.split === 'validation').slice(0, size);
}

function setOf(input: PairsInput, examples: readonly Example[], method: TrainingMethod, onlyAgreeing: boolean): TrainingSet {
  const { context } = input;
  const reasoningFor = (id: string) => finishedReasoning(context.reasoning, id)?.reasoning ?? null;
  // Without a readable answer pattern no agreement is known: the preflight refuses such a run before it starts.
  const filter = onlyAgreeing && context.reasoning.ok && context.answerPattern.ok;
  const agreements =
    filter && context.reasoning.ok && context.answerPattern.ok
      ? agreementsFor(context.task.spec, examples, context.reasoning.entries, context.answerPattern.regex, context.synonyms)
      : NO_AGREEMENTS;
  return buildTrainingSet({
    ...promptContext(input, method),
    examples,
    reasoningFor,
    agreements,
    options: { method, onlyAgreeing: filter, withoutReasoning: 'leave-out' },
  });
}
