import { diagnosticAt, type TemplateDiagnostic } from '../template/lint.ts';
import { parseTemplateCached } from '../template/parse.ts';
import { countCharacters, type Rendered, type TemplateValues } from '../template/render.ts';
import type { TaskSpec } from '../task/task.ts';
import { assembleTau } from './assemble.ts';

/**
 * Distilled CoT (the paper's §4 comparison "CoT-augmented tuning leads to better quality than CoT distillation"): the
 * large model's reasoning ŷ_β is a training target of θ_τ instead of an input, so at inference no ŷ_β is needed and
 * θ_τ writes a reasoning of its own before the answer (the rationale-then-answer form of Ho et al. and Magister et
 * al., as issue 20 asks; the paper describes its distilled CoT as "a multitask output target, so that the model does
 * not need to generate additional explanations at test time", as in Hsieh et al. 2023, which would be two pairs per
 * example, rationale and answer, and no reasoning at inference). It is made from the same I_τ as FIAT, split at its
 * {{reasoning}} slot, so the words around the slot state the format:
 *
 *     prompt     = I_τ's text before the slot, without the spaces and tabs that end it ("…Answer: Paris\nReasoning:")
 *     completion = gap + ŷ_β (trailing whitespace dropped) + cue + " " + y (" <ŷ_β>\nLabel: supported")
 *     gap        = those spaces and tabs (" "), so prompt + completion reads as I_τ with ŷ_β in its slot, and a
 *                  byte-level BPE sees the reasoning's first word with its space, as in FIAT's input
 *     cue        = I_τ's text after the slot, trailing whitespace dropped ("\nLabel:" for the classification
 *                  starter), or DEFAULT_CUE when nothing but whitespace follows the slot.
 *
 * I_τ must hold exactly one {{reasoning}} and nothing but text after it: a variable after the slot would train θ_τ to
 * write the example's own text (distilledCotErrors says where).
 *
 * Evaluation, with the tuned model and no ŷ_β:
 * 1. the reasoning: a greedy generation from the prompt, stopped at the cue's text (`reasoningStop`: "Label:") or at
 *    the token limit;
 * 2. the answer prompt (`answerPrompt`): the prompt + that reasoning as generated (it begins with the gap the model
 *    learned), trailing whitespace dropped, + the cue: the text the completion trained up to the answer, whether or
 *    not the generation wrote the cue itself;
 * 3. classification: each label scored as " " + its verbalizer (`labelCompletion`) after the answer prompt (the
 *    engine's scoreLabels: P(" verbalizer", EOS | answer prompt), normalised over the labels), the most probable label
 *    is the prediction and the positive label's probability feeds AUC-PR, as in FIAT's evaluation; extractive QA: a
 *    greedy generation from the answer prompt up to the first newline, trimmed (the task's no-answer text or nothing
 *    is "no answer").
 * With a chat template, the prompt is the user turn with the generation prompt and the generated reasoning continues
 * the assistant's turn; the label completion then ends as the template ends a turn (evaluate.ts labelCompletions).
 */

/** The cue when I_τ ends at its {{reasoning}} slot. */
export const DEFAULT_CUE = '\nAnswer:';

/** Between the cue and the answer y in the completion. */
const ANSWER_SEPARATOR = ' ';

/** I_τ's shape errors for distilled CoT (none: it can be split at its slot). Template errors are tauTemplateErrors'. */
export function distilledCotErrors(tau: string): TemplateDiagnostic[] {
  const parsed = parseTemplateCached(tau);
  const slots = parsed.parts.filter((p) => p.kind === 'variable' && p.name === 'reasoning');
  const firstLineEnd = tau.indexOf('\n') === -1 ? tau.length : tau.indexOf('\n');
  const first = slots[0];
  if (!first) {
    const message = 'Distilled CoT trains the reasoning as the output: I_τ needs a {{reasoning}} where the small model writes it.';
    return [diagnosticAt(tau, 'missing-reasoning', 'error', message, 0, firstLineEnd)];
  }
  const errors: TemplateDiagnostic[] = [];
  for (const part of parsed.parts) {
    if (part.start <= first.start || part.kind === 'text') continue;
    const what = part.kind === 'variable' ? `{{${part.name}}}` : part.text;
    const message = `Distilled CoT: ${what} comes after {{reasoning}}, which the small model writes; only text may follow it (the cue before the answer, e.g. "Label:").`;
    errors.push(diagnosticAt(tau, 'misplaced-variable', 'error', message, part.start, part.end));
  }
  return errors;
}

/** What distilled CoT writes around the reasoning, from I_τ (see the module's comment). */
export interface DistilledFormat {
  /** The spaces and tabs before the slot, moved from the prompt to the completion. */
  readonly gap: string;
  /** The text between the reasoning and the answer. */
  readonly cue: string;
}

/** The format of an I_τ, from its (first) {{reasoning}} slot; an I_τ without one gets no gap and DEFAULT_CUE. */
export function distilledFormat(tau: string): DistilledFormat {
  const parsed = parseTemplateCached(tau);
  const slot = parsed.parts.find((p) => p.kind === 'variable' && p.name === 'reasoning');
  if (!slot) return { gap: '', cue: DEFAULT_CUE };
  const before = parsed.parts.filter((p) => p.end <= slot.start).at(-1);
  const gap = before?.kind === 'text' ? (/[ \t]+$/u.exec(before.text)?.[0] ?? '') : '';
  const after = parsed.parts.filter((p) => p.start >= slot.end && p.kind === 'text').map((p) => (p.kind === 'text' ? p.text : '')).join('').trimEnd();
  return { gap, cue: after.trim() === '' ? DEFAULT_CUE : after };
}

/**
 * The prompt of an example: I_τ rendered up to its {{reasoning}} slot (the segments before it), trailing spaces and
 * tabs dropped; the segments keep which text came from which variable (the token budget counts them).
 */
export function assembleDistilledPrompt(spec: TaskSpec, tau: string, values: TemplateValues): Rendered {
  const whole = assembleTau(spec, tau, values, '');
  const slot = whole.segments.findIndex((s) => s.kind === 'variable' && s.name === 'reasoning');
  const segments = slot < 0 ? whole.segments : whole.segments.slice(0, slot);
  const last = segments.at(-1);
  if (last?.kind === 'literal') segments[segments.length - 1] = { ...last, text: last.text.replace(/[ \t]+$/u, '') };
  const text = segments.map((s) => s.text).join('');
  return { segments, text, characters: countCharacters(text), pendingReasoning: false, hasInvalid: segments.some((s) => s.kind === 'invalid') };
}

/** The completion: the gap, the reasoning, the cue, then the answer (see the module's comment). */
export function distilledCompletion(format: DistilledFormat, reasoning: string, answer: string): string {
  return `${format.gap}${reasoning.trimEnd()}${format.cue}${ANSWER_SEPARATOR}${answer}`;
}

/** Where the generated reasoning stops: at the cue's text. */
export function reasoningStop(format: DistilledFormat): string[] {
  return [format.cue.trim()];
}

/** The prompt an answer is read after: the prompt, the generated reasoning and the cue. */
export function answerPrompt(prompt: string, generatedReasoning: string, format: DistilledFormat): string {
  return `${prompt}${generatedReasoning.trimEnd()}${format.cue}`;
}

/** A label's completion after the answer prompt, as the training completion writes it. */
export function labelCompletion(verbalizer: string): string {
  return `${ANSWER_SEPARATOR}${verbalizer}`;
}
