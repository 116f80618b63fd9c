import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STARTER_INSTRUCTIONS } from '../../../src/fiat/project/task-setup.ts';
import { assembleExample, betaPrompts, betaTemplateErrors, describeBetaErrors } from '../../../src/fiat/prompt/assemble.ts';
import { parseSampleTask } from '../../../src/fiat/task/load-sample.ts';
import { SAMPLE_SPLIT_FILES, SAMPLE_TASKS } from '../../../src/fiat/task/samples.ts';
import { classification, example, exemplar, qa } from './fixtures.ts';

const sample = (folder: string) => {
  const info = SAMPLE_TASKS.find((s) => s.folder === folder);
  if (!info) throw new Error(folder);
  return parseSampleTask(info, SAMPLE_SPLIT_FILES.map((file) => ({ file, text: readFileSync(new URL(`../../../public/samples/${folder}/${file}`, import.meta.url), 'utf8') })));
};

describe('assembleExample', () => {
  const instructions = { beta: '{{exemplars}}\n---\n{{question}}', tau: '{{question}} {{answer}} R: {{reasoning}}' };

  it('renders I_β with the exemplars of its language, I_τ with a pending reasoning slot, no training prompt yet, and the completion', () => {
    const a = assembleExample(classification, instructions, [exemplar('1', 'bn'), exemplar('2', 'ja')], example('x', 'bn'));
    expect(a.beta.rendered.text).toBe('Question: eq-1\nPassage: ep-1\nAnswer: ea-1\nReasoning: because 1\nLabel: not supported\n---\nq-x');
    expect(a.beta.messages).toEqual([{ role: 'user', content: a.beta.rendered.text }]);
    expect(a.tau.text).toBe('q-x a-x R: ');
    expect(a.tau.pendingReasoning).toBe(true);
    expect(a.trainingPrompt).toBeNull();
    expect(a.completion).toBe('supported');
  });

  it('fills the reasoning into I_τ and the training prompt once it exists; I_β does not change', () => {
    const without = assembleExample(classification, instructions, [], example('x', 'bn'));
    const withReasoning = assembleExample(classification, instructions, [], example('x', 'bn'), 'It says so.');
    expect(withReasoning.tau.text).toBe('q-x a-x R: It says so.');
    expect(withReasoning.tau.pendingReasoning).toBe(false);
    expect(withReasoning.trainingPrompt).toBe('q-x a-x R: It says so.');
    expect(withReasoning.beta).toEqual(without.beta);
  });

  it('never shows an example as its own exemplar', () => {
    const a = assembleExample(classification, instructions, [exemplar('1', null, 'x'), exemplar('2', null)], example('x', 'bn'));
    expect(a.beta.rendered.text).not.toContain('eq-1');
    expect(a.beta.rendered.text).toContain('eq-2');
  });

  it('completes QA with the answer span or the no-answer text', () => {
    const base = { beta: '{{question}}', tau: '{{question}}' };
    expect(assembleExample(qa, base, [], example('x', 'bn')).completion).toBe('a-x');
    expect(assembleExample(qa, base, [], example('x', 'bn', { answer: null })).completion).toBe('no answer');
    // I_τ without {{reasoning}} (the ablation) needs none: its training prompt exists at once.
    expect(assembleExample(qa, base, [], example('x', 'bn')).trainingPrompt).toBe('q-x');
  });

  it('gives no training prompt while I_τ has invalid tags', () => {
    const a = assembleExample(classification, { beta: '{{question}}', tau: '{{question}} {{bogus}} {{reasoning}}' }, [], example('x', 'bn'), 'r');
    expect(a.tau.hasInvalid).toBe(true);
    expect(a.trainingPrompt).toBeNull();
  });

  it.each(['xor_attriqa', 'xor_tydi_rc', 'xquad_xling'])('assembles the %s sample with its starter instructions', (folder) => {
    const task = sample(folder);
    const first = task.examples[0]!;
    const a = assembleExample(task.spec, STARTER_INSTRUCTIONS[task.spec.kind], [], first, 'Because. So the answer is x.');
    expect(a.beta.rendered.hasInvalid).toBe(false);
    expect(a.beta.rendered.text).toContain(first.question);
    expect(a.tau.text).toContain(first.question);
    expect(a.trainingPrompt).toContain('Because. So the answer is x.');
    expect(a.completion).toBeDefined();
    expect(betaTemplateErrors(STARTER_INSTRUCTIONS[task.spec.kind].beta, task.spec, 0)).toEqual([]);
  });
});

describe('betaPrompts', () => {
  it('renders each example as one user message, the same text the preview shows', () => {
    const examples = [example('a', 'en'), example('b', 'en')];
    const prompts = betaPrompts(classification, 'Q: {{question}} A: {{answer}}', [], examples);
    expect(prompts).toEqual({
      ok: true,
      jobs: [
        { exampleId: 'a', messages: [{ role: 'user', content: 'Q: q-a A: a-a' }] },
        { exampleId: 'b', messages: [{ role: 'user', content: 'Q: q-b A: a-b' }] },
      ],
    });
    const shown = assembleExample(classification, { beta: 'Q: {{question}} A: {{answer}}', tau: '' }, [], examples[1]!);
    expect(prompts.ok && prompts.jobs[1]?.messages).toEqual(shown.beta.messages);
  });

  it('gives the template errors with their positions instead of prompts, and says where the first is', () => {
    // {{reasoning}} is I_τ's; {{bogus}} is unknown.
    const prompts = betaPrompts(classification, 'Q: {{question}}\nR: {{reasoning}} {{bogus}}', [], [example('a', 'en')]);
    if (prompts.ok) throw new Error('expected errors');
    expect(prompts.errors.map((e) => [e.code, e.startLine, e.startColumn])).toEqual([['misplaced-variable', 2, 4], ['unknown-variable', 2, 18]]);
    expect(describeBetaErrors(prompts.errors)).toMatch(/^I_β has 2 template errors, so nothing is sent until it is fixed\. First: line 2, column 4: /);
    // {{answer}} is not a variable in extractive QA.
    expect(betaTemplateErrors('{{question}} {{answer}}', qa, 0).map((e) => e.code)).toEqual(['misplaced-variable']);
    // Warnings (no {{exemplars}} while there are exemplars) do not block.
    expect(betaPrompts(classification, '{{question}}', [exemplar('1', null)], []).ok).toBe(true);
  });
});
