import { type Exemplar, renderExemplars } from '../exemplars/exemplars.ts';
import { type Example, targetOf, type TaskSpec } from '../task/task.ts';
import { parseTemplateCached } from './parse.ts';
import { type Rendered, renderTemplate, type TemplateValues } from './render.ts';

export interface PreviewInput {
  spec: TaskSpec;
  example: Example;
  instructions: { beta: string; tau: string };
  exemplars: readonly Exemplar[];
  /** The large model's reasoning for this example; undefined until it exists. */
  reasoning?: string;
}

/** What one example turns into: I_β's prompt, I_τ's input, and the output y the small model learns. */
export interface ExamplePreview {
  beta: Rendered;
  tau: Rendered;
  target: string | undefined;
}

/** The values an example gives the template variables (exemplars rendered for its language). */
export function templateValues(spec: TaskSpec, example: Example, exemplars: readonly Exemplar[], reasoning?: string): TemplateValues {
  return {
    question: example.question,
    passage: example.passage,
    answer: example.answer,
    reasoning,
    exemplars: renderExemplars(exemplars, spec, example.lang, example.id),
  };
}

export function previewExample({ spec, example, instructions, exemplars, reasoning }: PreviewInput): ExamplePreview {
  const values = templateValues(spec, example, exemplars, reasoning);
  return {
    beta: renderTemplate(parseTemplateCached(instructions.beta), values, 'beta', spec.kind),
    tau: renderTemplate(parseTemplateCached(instructions.tau), values, 'tau', spec.kind),
    target: targetOf(spec, example),
  };
}
