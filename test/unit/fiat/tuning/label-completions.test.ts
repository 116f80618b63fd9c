// The completions scored for a classification task's labels (fiat/tuning/label-completions.ts): the verbalizers as the
// chat template writes them after the prompt, or none (the verbalizers themselves) without a template or for QA.
import { expect, it } from 'vitest';
import type { TaskSpec } from '../../../../src/fiat/task/task.ts';
import type { ChatTemplating } from '../../../../src/fiat/training-set/chat-format.ts';
import { labelCompletionsFor } from '../../../../src/fiat/tuning/label-completions.ts';

/** ChatML, as SmolLM2's template renders it; EOS <|im_end|>. */
const chatml: ChatTemplating = {
  applyChatTemplate: (messages, { addGenerationPrompt }) =>
    Promise.resolve(messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + (addGenerationPrompt ? '<|im_start|>assistant\n' : '')),
  eosText: '<|im_end|>',
};
const spec: TaskSpec = { kind: 'classification', labels: [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }] };

it('writes each label as the template puts it after the prompt, in the spec’s order', async () => {
  expect(await labelCompletionsFor(spec, 'Is it supported?', chatml)).toEqual(['supported', 'not supported']);
  const thinking: ChatTemplating = { ...chatml, applyChatTemplate: async (m, o) => (await chatml.applyChatTemplate(m, o)).replace('<|im_start|>assistant\nsupported', '<|im_start|>assistant\n<think></think>supported').replace('<|im_start|>assistant\nnot', '<|im_start|>assistant\n<think></think>not') };
  expect(await labelCompletionsFor(spec, 'Is it supported?', thinking)).toEqual(['<think></think>supported', '<think></think>not supported']);
});

it('gives none without a template, without a prompt, or for QA', async () => {
  expect(await labelCompletionsFor(spec, 'Is it supported?', null)).toBeUndefined();
  expect(await labelCompletionsFor(spec, undefined, chatml)).toBeUndefined();
  expect(await labelCompletionsFor({ kind: 'extractive-qa', noAnswer: 'none' }, 'Where?', chatml)).toBeUndefined();
});
