import type { TaskKind } from '../task/task.ts';

/** Which instruction a template is: I_β (large model, writes reasoning) or I_τ (small model, tuned). */
export const INSTRUCTION_ROLES = ['beta', 'tau'] as const;
export type InstructionRole = (typeof INSTRUCTION_ROLES)[number];

export const ROLE_NAMES: Record<InstructionRole, string> = { beta: 'I_β', tau: 'I_τ' };

export const VARIABLE_NAMES = ['question', 'passage', 'answer', 'reasoning', 'exemplars'] as const;
export type VariableName = (typeof VARIABLE_NAMES)[number];

export interface VariableDoc {
  name: VariableName;
  /** One line for the completion list. */
  detail: string;
  /** Where it may be used and what it becomes. */
  documentation: string;
}

/** The template syntax's variables, documented once (README, completion list, help panel). */
export const VARIABLES: readonly VariableDoc[] = [
  { name: 'question', detail: "the example's question", documentation: 'The question of the example. Valid in I_β and I_τ.' },
  { name: 'passage', detail: "the example's passage", documentation: 'The passage (context) of the example. Valid in I_β and I_τ.' },
  {
    name: 'answer',
    detail: 'the answer being judged (classification)',
    documentation:
      'Classification tasks only: the answer whose support is being judged. In an extractive-QA task the answer is what the model must find, so it is not a variable there.',
  },
  {
    name: 'reasoning',
    detail: "the large model's reasoning (I_τ only)",
    documentation:
      "The large model's output ŷ_β for this example, produced with I_β. Valid in I_τ only; shown as pending until reasoning exists.",
  },
  {
    name: 'exemplars',
    detail: "I_β's few-shot exemplars",
    documentation:
      'The few-shot block: your exemplars (example, hand-written reasoning, label) for the example\'s language, rendered one after another. Valid in I_β only.',
  },
];

export function isVariableName(name: string): name is VariableName {
  return (VARIABLE_NAMES as readonly string[]).includes(name);
}

/**
 * Why a known variable may not be used in this place, or undefined when it may.
 * (Contract shared by the linter, the renderer and the completion list.)
 */
export function misplacement(name: VariableName, role: InstructionRole, kind: TaskKind): string | undefined {
  if (name === 'reasoning' && role === 'beta') {
    return "{{reasoning}} is the large model's output, which I_β produces; it is valid in I_τ only.";
  }
  if (name === 'exemplars' && role === 'tau') {
    return "{{exemplars}} is I_β's few-shot block; it is valid in I_β only.";
  }
  if (name === 'answer' && kind === 'extractive-qa') {
    return '{{answer}} is the answer being judged in classification tasks; in this extractive-QA task it is the gold answer and would leak into the prompt.';
  }
  return undefined;
}

/** The variables that may be used in an instruction of this role for this kind of task. */
export function variablesFor(role: InstructionRole, kind: TaskKind): VariableDoc[] {
  return VARIABLES.filter((v) => misplacement(v.name, role, kind) === undefined);
}
