import { useMemo } from 'react';
import { exampleAgreement } from '../../../fiat/reasoning/agreement.ts';
import type { BetaReasoning } from '../../../fiat/reasoning/beta-output.ts';
import { answerTaskOf, goldOf } from '../../../fiat/reasoning/quality.ts';
import { type Example, targetOf, type TaskSpec } from '../../../fiat/task/task.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { useAnswerPattern } from './useTaskReasoning.ts';

const VERDICT = { agrees: 'agrees with gold', disagrees: 'disagrees with gold', unparsed: '', truncated: '', missing: '' } as const;

/**
 * The final answer the project's answer pattern reads from one finished reasoning (its final answer
 * part first), and whether it agrees with gold. Answers are model or dataset text in any script: each is
 * isolated (`<bdi>`), so that an Arabic answer reads right to left and does not reorder the sentence around it.
 */
export function ParsedAnswer({ spec, example, reasoning }: { spec: TaskSpec; example: Example; reasoning: BetaReasoning }) {
  const pattern = useAnswerPattern();
  const synonyms = useTaskSetup((t) => t.answerSynonyms);
  const result = useMemo(
    () => (pattern.ok ? exampleAgreement(example.id, reasoning, goldOf(spec, example), pattern.regex, answerTaskOf(spec, synonyms)) : null),
    [pattern, spec, example, reasoning, synonyms],
  );
  const gold = targetOf(spec, example) ?? 'unknown label';
  if (!result) return <p className="parsed-answer muted">The answer pattern is not valid (see the Reasoning tab): no answer is parsed.</p>;
  if (result.status === 'unparsed' || !result.prediction || result.prediction.answer === null) {
    const why = result.prediction?.answer ? (
      <>
        “<bdi>{result.prediction.answer}</bdi>” names no label of this task
      </>
    ) : (
      'the answer pattern found no final answer'
    );
    return (
      <p className="parsed-answer verdict-unparsed" role="group" aria-label="Parsed answer">
        Unparsed: {why} (gold: <bdi>{gold}</bdi>).
      </p>
    );
  }
  const f1 = result.f1 === null ? '' : ` · token F1 ${result.f1.toFixed(2)}`;
  return (
    <p className={`parsed-answer verdict-${result.status}`} role="group" aria-label="Parsed answer">
      Parsed answer “<bdi>{result.prediction.answer}</bdi>”: {VERDICT[result.status]} (<bdi>{gold}</bdi>){f1}.
    </p>
  );
}
