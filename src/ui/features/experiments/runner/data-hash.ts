import { canonicalJson, sha256Hex } from '../../../../fiat/reasoning/cache-key.ts';
import { finishedReasoning, type RunnerContext } from './context.ts';
import { SUBSET_DRAW_VERSION, trainPool } from './subset.ts';
import { validationExamplesOf } from './training-pairs.ts';

/**
 * The experiment's data hash (spec.ts: what every run reads besides its own spec): the task's spec, the train
 * examples a subset is drawn from and the validation examples evaluated, the finished reasoning ŷ_β of each, how
 * θ_β's answers are parsed out of it (the answer pattern and synonyms: ICL's predictions, and only-agreeing), and
 * the subset draw's version. Taken when the experiment is made: results are reused only for the same data.
 */
export function experimentDataHash(context: RunnerContext, validationSize: number): Promise<string> {
  const { task } = context;
  const train = trainPool(task.spec, task.examples);
  const validation = validationExamplesOf(task.examples, validationSize);
  const reasoning = Object.fromEntries(
    [...train, ...validation].flatMap((e) => {
      const beta = finishedReasoning(context.reasoning, e.id);
      return beta ? [[e.id, { reasoning: beta.reasoning, answerFrom: beta.answerFrom ?? null }]] : [];
    }),
  );
  const pattern = context.answerPattern.ok ? { source: context.answerPattern.regex.source, flags: context.answerPattern.regex.flags } : null;
  return sha256Hex(canonicalJson({ draw: SUBSET_DRAW_VERSION, spec: task.spec, train, validation, reasoning, pattern, synonyms: context.synonyms }));
}
