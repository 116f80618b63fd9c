import { isFinished, readFinalAnswer, type BetaReasoning } from './beta-output.ts';
import { normaliseQaAnswer, tokenF1, verbalize, type LabelValue, type Verbalizer } from './answer-normalise.ts';

/** How the large model's answer is read for a task. */
export type AnswerTask =
  | { kind: 'classification'; verbalizer: Verbalizer }
  | { kind: 'extractive-qa'; noAnswerPhrases?: readonly string[] };

/**
 * What the reasoning predicts. These are also the ICL baseline's predictions: the large model with
 * I_β and no tuning (the paper's few-shot ICL rows).
 * - classification: `label` is the verbalized class, null when the answer names none;
 * - extractive-qa: `text` is the normalised span, null for "no answer".
 */
export type ReasoningPrediction =
  | { kind: 'classification'; answer: string | null; label: LabelValue | null }
  | { kind: 'extractive-qa'; answer: string | null; text: string | null };

/**
 * A reasoning to read an answer from: ŷ_β as stored (its final answer part is read first), or one
 * text that is all of it and finished (exemplars, tests).
 */
export type ReasoningInput = BetaReasoning | string;

const asBeta = (reasoning: ReasoningInput): BetaReasoning => (typeof reasoning === 'string' ? { reasoning, finishReason: 'stop' } : reasoning);

/**
 * Reads the prediction from one reasoning. `answer` is the raw text the pattern captured (null
 * when it did not match); an unmatched QA answer is not "no answer" but unparsed (see agreement).
 */
export function predictFromReasoning(reasoning: ReasoningInput, pattern: RegExp, task: AnswerTask): ReasoningPrediction {
  const answer = readFinalAnswer(asBeta(reasoning), pattern);
  if (task.kind === 'classification') {
    return { kind: 'classification', answer, label: answer === null ? null : verbalize(answer, task.verbalizer) };
  }
  return { kind: 'extractive-qa', answer, text: answer === null ? null : normaliseQaAnswer(answer, task.noAnswerPhrases) };
}

export type AgreementStatus = 'agrees' | 'disagrees' | 'unparsed' | 'truncated' | 'missing';

export interface ExampleAgreement {
  exampleId: string;
  /**
   * agrees/disagrees with gold; unparsed: the pattern did not match (or the answer named no class);
   * truncated: the generation stopped at max tokens or is empty (read as nothing, generated again by a
   * batch); missing: no reasoning for this example yet.
   */
  status: AgreementStatus;
  prediction: ReasoningPrediction | null;
  /** Token F1 with gold for extractive QA (0 when unparsed); null for classification or missing. */
  f1: number | null;
}

/** Gold for one example: a class label, or an answer span (null = the passage has no answer). */
export type Gold = { kind: 'label'; label: LabelValue } | { kind: 'span'; text: string | null };

export function exampleAgreement(exampleId: string, reasoning: ReasoningInput | undefined, gold: Gold, pattern: RegExp, task: AnswerTask): ExampleAgreement {
  if (reasoning === undefined) return { exampleId, status: 'missing', prediction: null, f1: null };
  if (!isFinished(asBeta(reasoning))) return { exampleId, status: 'truncated', prediction: null, f1: null };
  const prediction = predictFromReasoning(reasoning, pattern, task);
  if (prediction.kind === 'classification') {
    if (prediction.label === null) return { exampleId, status: 'unparsed', prediction, f1: null };
    const goldLabel = gold.kind === 'label' ? gold.label : null;
    // Labels compare as text so 1 from a JSONL file and '1' from a verbalizer agree.
    const agrees = goldLabel !== null && String(prediction.label) === String(goldLabel);
    return { exampleId, status: agrees ? 'agrees' : 'disagrees', prediction, f1: null };
  }
  if (prediction.answer === null) return { exampleId, status: 'unparsed', prediction, f1: 0 };
  const goldText = gold.kind === 'span' && gold.text !== null ? normaliseQaAnswer(gold.text, []) : null;
  const f1 = tokenF1(prediction.text, goldText);
  // Both sides are normalised (or null for "no answer"): agreement is exact match.
  const agrees = prediction.text === goldText;
  return { exampleId, status: agrees ? 'agrees' : 'disagrees', prediction, f1 };
}

export interface AgreementSummary {
  total: number;
  agrees: number;
  disagrees: number;
  unparsed: number;
  /** Generations cut at max tokens or empty: not counted as having a reasoning. */
  truncated: number;
  missing: number;
  /** agrees / (examples with a finished reasoning); null when none has one. */
  rate: number | null;
  /** Mean token F1 over examples with a reasoning (extractive QA only). */
  meanF1: number | null;
}

export function summariseAgreement(items: readonly ExampleAgreement[]): AgreementSummary {
  const count = (status: AgreementStatus) => items.filter((i) => i.status === status).length;
  const withReasoning = items.filter((i) => i.status !== 'missing' && i.status !== 'truncated');
  const f1s = withReasoning.flatMap((i) => (i.f1 === null ? [] : [i.f1]));
  return {
    total: items.length,
    agrees: count('agrees'),
    disagrees: count('disagrees'),
    unparsed: count('unparsed'),
    truncated: count('truncated'),
    missing: count('missing'),
    rate: withReasoning.length === 0 ? null : count('agrees') / withReasoning.length,
    meanF1: f1s.length === 0 ? null : f1s.reduce((a, b) => a + b, 0) / f1s.length,
  };
}
