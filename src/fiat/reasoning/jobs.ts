import type { ChatMessage } from '../../providers/types.ts';
import type { Exemplar } from '../exemplars/exemplars.ts';
import type { ReasoningScope } from '../project/reasoning-settings.ts';
import type { Example, TaskSpec } from '../task/task.ts';
import { lintTemplate, type TemplateDiagnostic } from '../template/lint.ts';
import { parseTemplateCached } from '../template/parse.ts';
import { templateValues } from '../template/preview.ts';
import { renderTemplate, type Rendered } from '../template/render.ts';
import type { ReasoningJob } from './batch-plan.ts';

/**
 * What is sent to the large model for an example: its rendered I_β prompt as one user message.
 * Preview and batch both build requests here, so the same example gives the same cache key in both.
 */
export function betaMessages(rendered: Rendered): ChatMessage[] {
  return [{ role: 'user', content: rendered.text }];
}

/**
 * I_β's template errors (malformed, unknown or misplaced variables). While there is one, nothing is
 * sent: such tags render as written, and a prompt with a literal `{{bogus}}` would be paid for and
 * cached for nothing.
 */
export function betaTemplateErrors(beta: string, spec: TaskSpec, exemplarCount: number): TemplateDiagnostic[] {
  return lintTemplate(parseTemplateCached(beta), { role: 'beta', kind: spec.kind, exemplarCount }).filter((d) => d.severity === 'error');
}

/** One sentence for the place that refuses to send: how many errors, and where the first one is. */
export function describeBetaErrors(errors: readonly TemplateDiagnostic[]): string {
  const first = errors[0];
  if (!first) return '';
  const count = errors.length === 1 ? 'a template error' : `${errors.length} template errors`;
  return `I_β has ${count}, so nothing is sent until it is fixed. First: line ${first.startLine}, column ${first.startColumn}: ${first.message}`;
}

/** The I_β prompt of each example, in order (callers check betaTemplateErrors first). */
export function reasoningJobs(spec: TaskSpec, examples: readonly Example[], beta: string, exemplars: readonly Exemplar[]): ReasoningJob[] {
  const parsed = parseTemplateCached(beta);
  return examples.map((example) => ({
    exampleId: example.id,
    messages: betaMessages(renderTemplate(parsed, templateValues(spec, example, exemplars), 'beta', spec.kind)),
  }));
}

/**
 * The examples a batch covers and the quality summary is over: one split, every example, or the
 * ones the example browser's filters show (`filtered`, passed in by the caller).
 */
export function examplesInScope(examples: readonly Example[], scope: ReasoningScope, filtered: readonly Example[]): readonly Example[] {
  if (scope === 'filtered') return filtered;
  if (scope === 'all') return examples;
  return examples.filter((e) => e.split === scope);
}
