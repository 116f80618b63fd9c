import { runToEnd, type Sliced } from '../slices.ts';
import type { Example, TaskSpec } from '../task/task.ts';
import {
  exampleAgreement,
  summariseAgreement,
  type AgreementSummary,
  type AnswerTask,
  type ExampleAgreement,
  type Gold,
  type ReasoningInput,
} from './agreement.ts';
import { DEFAULT_NO_ANSWER_PHRASES } from './answer-normalise.ts';
import { type AnswerSynonyms, verbalizerWithSynonyms } from './answer-synonyms.ts';
import { selectTrainingExamples } from './training-filter.ts';

/**
 * How good the large model's reasoning is on a task: per example, whether its parsed final answer
 * agrees with gold; overall, the ICL baseline's score (those parsed answers are the predictions of
 * θ_β prompted with I_β, the paper's few-shot ICL rows). Pure; answers are parsed on read, so a new
 * answer pattern never costs a regeneration.
 */

/**
 * How a task's answers are read: its label verbalizers and their answer synonyms (the task setup's),
 * or its no-answer text for extractive QA.
 */
export function answerTaskOf(spec: TaskSpec, synonyms: AnswerSynonyms): AnswerTask {
  if (spec.kind === 'classification') return { kind: 'classification', verbalizer: verbalizerWithSynonyms(spec.labels, synonyms) };
  return { kind: 'extractive-qa', noAnswerPhrases: [...DEFAULT_NO_ANSWER_PHRASES, spec.noAnswer] };
}

/** Gold for an example: its label value (classification), or its answer span (null: no answer). */
export function goldOf(spec: TaskSpec, example: Example): Gold {
  // An example without a label can agree with nothing: '' is no label value (values are non-empty).
  return spec.kind === 'classification' ? { kind: 'label', label: example.label ?? '' } : { kind: 'span', text: example.answer };
}

/**
 * Agreement of every example that has a reasoning (`reasonings` by example id: cache entries, or
 * finished texts), 'truncated' for a generation cut short, and 'missing' for the rest.
 */
export function agreementsFor(
  spec: TaskSpec,
  examples: readonly Example[],
  reasonings: ReadonlyMap<string, ReasoningInput>,
  pattern: RegExp,
  synonyms: AnswerSynonyms,
): Map<string, ExampleAgreement> {
  return runToEnd(agreementsForInSlices(spec, examples, reasonings, pattern, synonyms));
}

/** Examples read between two yields of agreementsForInSlices. */
const AGREEMENT_SLICE = 2_000;

/** agreementsFor in slices (fiat/slices.ts): 100,000 examples held the page for ~100 ms and more. */
export function* agreementsForInSlices(
  spec: TaskSpec,
  examples: readonly Example[],
  reasonings: ReadonlyMap<string, ReasoningInput>,
  pattern: RegExp,
  synonyms: AnswerSynonyms,
): Sliced<Map<string, ExampleAgreement>> {
  const task = answerTaskOf(spec, synonyms);
  const out = new Map<string, ExampleAgreement>();
  for (const e of examples) {
    out.set(e.id, exampleAgreement(e.id, reasonings.get(e.id), goldOf(spec, e), pattern, task));
    if (out.size % AGREEMENT_SLICE === 0) yield out.size;
  }
  return out;
}

export interface IclBaseline {
  /** Accuracy for classification, mean token F1 for extractive QA. */
  metric: 'accuracy' | 'token-f1';
  /** Over the examples with a finished reasoning (an unparsed answer counts as wrong); null when none has one. */
  score: number | null;
  /** Examples with a finished reasoning, of `total`. */
  covered: number;
  total: number;
}

export interface ScopeQuality {
  summary: AgreementSummary;
  icl: IclBaseline;
}

/** Agreement summary and ICL baseline score over some examples (a split, the filtered ones). */
export function scopeQuality(spec: TaskSpec, examples: readonly Example[], agreements: ReadonlyMap<string, ExampleAgreement>): ScopeQuality {
  return runToEnd(scopeQualityInSlices(spec, examples, agreements));
}

/** Examples looked up between two yields of scopeQualityInSlices and trainingKeepInSlices. */
const QUALITY_SLICE = 10_000;

/** scopeQuality in slices (fiat/slices.ts), for 100,000 examples in the page. */
export function* scopeQualityInSlices(spec: TaskSpec, examples: readonly Example[], agreements: ReadonlyMap<string, ExampleAgreement>): Sliced<ScopeQuality> {
  const items: ExampleAgreement[] = [];
  for (const e of examples) {
    items.push(agreements.get(e.id) ?? { exampleId: e.id, status: 'missing', prediction: null, f1: null });
    if (items.length % QUALITY_SLICE === 0) yield items.length;
  }
  const summary = summariseAgreement(items);
  const covered = summary.total - summary.missing - summary.truncated;
  const icl: IclBaseline =
    spec.kind === 'classification'
      ? { metric: 'accuracy', score: summary.rate, covered, total: summary.total }
      : { metric: 'token-f1', score: summary.meanF1, covered, total: summary.total };
  return { summary, icl };
}

export interface TrainingKeep {
  /** Training examples (split train). */
  total: number;
  /** Those the only-agreeing option keeps. */
  kept: number;
  /** Left out because they have no reasoning yet (a batch on the train split brings them in if they agree). */
  missing: number;
}

/** What the only-agreeing option would do to the train split (shown whether or not it is on). */
export function trainingKeep(examples: readonly Example[], agreements: ReadonlyMap<string, ExampleAgreement>): TrainingKeep {
  return runToEnd(trainingKeepInSlices(examples, agreements));
}

/** trainingKeep in slices: the train examples go through selectTrainingExamples (the one rule) a slice at a time. */
export function* trainingKeepInSlices(examples: readonly Example[], agreements: ReadonlyMap<string, ExampleAgreement>): Sliced<TrainingKeep> {
  const keep: TrainingKeep = { total: 0, kept: 0, missing: 0 };
  for (let from = 0; from < examples.length; from += QUALITY_SLICE) {
    const train = examples.slice(from, from + QUALITY_SLICE).filter((e) => e.split === 'train');
    const { selected, excluded } = selectTrainingExamples(train, (e) => e.id, agreements, { onlyAgreeing: true });
    keep.total += train.length;
    keep.kept += selected.length;
    keep.missing += excluded.filter((x) => x.status === 'missing').length;
    yield Math.min(examples.length, from + QUALITY_SLICE);
  }
  return keep;
}
