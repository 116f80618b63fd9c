import { diagnosticAt, type TemplateDiagnostic } from '../template/lint.ts';
import { parseTemplateCached } from '../template/parse.ts';
import { countCharacters, type Rendered, type TemplateValues } from '../template/render.ts';
import type { TaskSpec } from '../task/task.ts';
import { assembleTau } from './assemble.ts';

/**
 * Distilled CoT as the paper compares it (§4, "CoT-augmented tuning leads to better quality than CoT distillation"):
 * "the explanation as a multitask output target, so that the model does not need to generate additional
 * explanations at test time" (Hsieh et al. 2023, distilling step-by-step). Each train example gives θ_τ two tasks
 * from the same I_τ, told apart by where the input ends:
 *
 *     answer    prompt = I_τ with its {{reasoning}} slot empty (as the ablation without CoT-augmented tuning)
 *               completion = y
 *     rationale prompt = I_τ rendered up to its {{reasoning}} slot, the spaces and tabs that end it dropped
 *               completion = those spaces and tabs (the gap) + ŷ_β, trailing whitespace dropped
 *
 * so prompt + completion of the rationale reads as I_τ up to the end of the reasoning, and a byte-level BPE sees the
 * reasoning's first word with its space as in FIAT's input. At inference only the answer task is asked: the prompt of
 * the answer task, no ŷ_β and no generated reasoning, scored or generated as any method without reasoning is.
 *
 * I_τ must hold a {{reasoning}} (distilledCotErrors says where it is missing).
 */

/** Whether a training pair teaches the answer or (distilled CoT) the rationale. */
export type TrainingTarget = 'answer' | 'rationale';

/** I_τ's shape errors for distilled CoT (none: it has a {{reasoning}} slot to split at). Template errors are tauTemplateErrors'. */
export function distilledCotErrors(tau: string): TemplateDiagnostic[] {
  const parsed = parseTemplateCached(tau);
  if (parsed.parts.some((p) => p.kind === 'variable' && p.name === 'reasoning')) return [];
  const firstLineEnd = tau.indexOf('\n') === -1 ? tau.length : tau.indexOf('\n');
  const message = 'Distilled CoT trains the reasoning as a second output: I_τ needs a {{reasoning}} where it goes.';
  return [diagnosticAt(tau, 'missing-reasoning', 'error', message, 0, firstLineEnd)];
}

/** The spaces and tabs before I_τ's (first) {{reasoning}} slot: moved from the rationale's prompt to its completion. */
export function rationaleGap(tau: string): string {
  const parsed = parseTemplateCached(tau);
  const slot = parsed.parts.find((p) => p.kind === 'variable' && p.name === 'reasoning');
  if (!slot) return '';
  const before = parsed.parts.filter((p) => p.end <= slot.start).at(-1);
  return before?.kind === 'text' ? (/[ \t]+$/u.exec(before.text)?.[0] ?? '') : '';
}

/**
 * The rationale task's prompt: I_τ rendered up to its {{reasoning}} slot (the segments before it), trailing spaces and
 * tabs dropped; the segments keep which text came from which variable (the token budget counts them).
 */
export function assembleRationalePrompt(spec: TaskSpec, tau: string, values: TemplateValues): Rendered {
  const whole = assembleTau(spec, tau, values, '');
  const slot = whole.segments.findIndex((s) => s.kind === 'variable' && s.name === 'reasoning');
  const segments = slot < 0 ? whole.segments : whole.segments.slice(0, slot);
  const last = segments.at(-1);
  if (last?.kind === 'literal') segments[segments.length - 1] = { ...last, text: last.text.replace(/[ \t]+$/u, '') };
  const text = segments.map((s) => s.text).join('');
  return { segments, text, characters: countCharacters(text), pendingReasoning: false, hasInvalid: segments.some((s) => s.kind === 'invalid') };
}

/** The rationale task's completion: the gap, then the reasoning. */
export function rationaleCompletion(tau: string, reasoning: string): string {
  return `${rationaleGap(tau)}${reasoning.trimEnd()}`;
}
