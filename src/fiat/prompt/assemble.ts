import type { ChatMessage } from '../../providers/types.ts';
import { type Exemplar, renderExemplars } from '../exemplars/exemplars.ts';
import { type Example, targetOf, type TaskKind, type TaskSpec } from '../task/task.ts';
import { lintTemplate, type TemplateDiagnostic } from '../template/lint.ts';
import { parseTemplateCached } from '../template/parse.ts';
import { type Rendered, renderTemplate, type TemplateValues } from '../template/render.ts';

/**
 * The one prompt assembly (DESIGN.md practice 11): every text the studio sends or shows for an
 * example comes from here: the I_β prompt and the messages sent for it, the I_τ input, the training
 * prompt and the completion. Preview, batch jobs, cache keys and (later) training sets call it, so the
 * same (instructions, exemplars, example, reasoning) always give the same text, and the same cache key.
 *
 * Inputs are plain values (spec, instruction texts, exemplars, example, reasoning): callers decide
 * where they come from. The work is split in halves (values, I_β, I_τ) so the preview can memoise each
 * on its own inputs: a keystroke in I_τ renders I_τ only.
 */

/** The two instructions of a task: I_β for the large model, I_τ for the small one. */
export interface Instructions {
  beta: string;
  tau: string;
}

/** The I_β prompt of an example: its rendered segments (shown) and the messages sent for it. */
export interface BetaPrompt {
  rendered: Rendered;
  /** One user message with the rendered text: what the provider receives and the cache key hashes. */
  messages: ChatMessage[];
}

export interface AssembledExample {
  beta: BetaPrompt;
  /** The I_τ input: {{reasoning}} filled once the reasoning exists, pending before. */
  tau: Rendered;
  /**
   * The small model's training prompt: the I_τ text with the reasoning filled in. Null while the
   * reasoning I_τ asks for is missing, or while I_τ has invalid tags (such text is never sent to a model).
   */
  trainingPrompt: string | null;
  /** The gold completion y: the label's verbalizer, the answer span or the no-answer text; undefined for an unknown label. */
  completion: string | undefined;
}

/** The values an example gives the template variables, reasoning aside ({{exemplars}} for its language). */
export function exampleValues(spec: TaskSpec, example: Example, exemplars: readonly Exemplar[]): TemplateValues {
  return {
    question: example.question,
    passage: example.passage,
    answer: example.answer,
    exemplars: renderExemplars(exemplars, spec, example.lang, example.id),
  };
}

/** I_β for an example's values. I_β never holds {{reasoning}} (the linter refuses it), so none is passed. */
export function assembleBeta(spec: TaskSpec, beta: string, values: TemplateValues): BetaPrompt {
  const rendered = renderTemplate(parseTemplateCached(beta), { ...values, reasoning: undefined }, 'beta', spec.kind);
  return { rendered, messages: betaMessages(rendered) };
}

/** I_τ for an example's values and its reasoning (undefined: not written yet, the slot is pending). */
export function assembleTau(spec: TaskSpec, tau: string, values: TemplateValues, reasoning: string | undefined): Rendered {
  return renderTemplate(parseTemplateCached(tau), { ...values, reasoning }, 'tau', spec.kind);
}

/** The training prompt of a rendered I_τ input (see AssembledExample.trainingPrompt). */
export function trainingPromptOf(tau: Rendered): string | null {
  return tau.pendingReasoning || tau.hasInvalid ? null : tau.text;
}

/**
 * The bare input x of plain fine-tuning (the paper's fine-tuning baseline: no instruction, no reasoning), in the
 * exemplars' field format: `Question: …` / `Passage: …` and, for classification, `Answer: …` (the answer being judged).
 * A fixed template rendered like I_τ, so its segments say which text came from which field (the token budget counts
 * them) and a shorter passage re-renders it the same way.
 */
export const BARE_INPUT_TEMPLATES: Readonly<Record<TaskKind, string>> = Object.freeze({
  classification: 'Question: {{question}}\nPassage: {{passage}}\nAnswer: {{answer}}',
  'extractive-qa': 'Question: {{question}}\nPassage: {{passage}}',
});

/** The bare input of an example's values (see BARE_INPUT_TEMPLATES); it has no {{reasoning}}, so it is never pending. */
export function assembleBareInput(spec: TaskSpec, values: TemplateValues): Rendered {
  return renderTemplate(parseTemplateCached(BARE_INPUT_TEMPLATES[spec.kind]), { ...values, reasoning: undefined }, 'tau', spec.kind);
}

/** Everything one example turns into. */
export function assembleExample(
  spec: TaskSpec,
  instructions: Instructions,
  exemplars: readonly Exemplar[],
  example: Example,
  reasoning?: string,
): AssembledExample {
  const values = exampleValues(spec, example, exemplars);
  const tau = assembleTau(spec, instructions.tau, values, reasoning);
  return { beta: assembleBeta(spec, instructions.beta, values), tau, trainingPrompt: trainingPromptOf(tau), completion: targetOf(spec, example) };
}

function betaMessages(rendered: Rendered): ChatMessage[] {
  return [{ role: 'user', content: rendered.text }];
}

/**
 * I_β's template errors (malformed, unknown or misplaced variables), with their positions. While
 * there is one, nothing is sent: such tags render as written, and a prompt with a literal `{{bogus}}`
 * would be paid for and cached for nothing.
 */
export function betaTemplateErrors(beta: string, spec: TaskSpec, exemplarCount: number): TemplateDiagnostic[] {
  return lintTemplate(parseTemplateCached(beta), { role: 'beta', kind: spec.kind, exemplarCount }).filter((d) => d.severity === 'error');
}

/** I_τ's template errors: while there is one, I_τ renders such tags as written and no training prompt exists. */
export function tauTemplateErrors(tau: string, spec: TaskSpec): TemplateDiagnostic[] {
  return lintTemplate(parseTemplateCached(tau), { role: 'tau', kind: spec.kind, exemplarCount: 0 }).filter((d) => d.severity === 'error');
}

/** One sentence for the place that refuses to send: how many errors, and where the first one is. */
export function describeBetaErrors(errors: readonly TemplateDiagnostic[]): string {
  const first = errors[0];
  if (!first) return '';
  const count = errors.length === 1 ? 'a template error' : `${errors.length} template errors`;
  return `I_β has ${count}, so nothing is sent until it is fixed. First: line ${first.startLine}, column ${first.startColumn}: ${first.message}`;
}

/** The I_β prompt of one example of a batch. */
export interface BetaJob {
  exampleId: string;
  messages: ChatMessage[];
}

export type BetaPrompts = { ok: true; jobs: BetaJob[] } | { ok: false; errors: TemplateDiagnostic[] };

/**
 * The I_β prompts of examples, in order, or I_β's template errors when it has any: the check and the
 * rendering in one call, so no caller can render a prompt that must not be sent.
 */
export function betaPrompts(spec: TaskSpec, beta: string, exemplars: readonly Exemplar[], examples: readonly Example[]): BetaPrompts {
  const errors = betaTemplateErrors(beta, spec, exemplars.length);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    jobs: examples.map((example) => ({ exampleId: example.id, messages: assembleBeta(spec, beta, exampleValues(spec, example, exemplars)).messages })),
  };
}
