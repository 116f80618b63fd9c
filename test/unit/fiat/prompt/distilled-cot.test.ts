import { describe, expect, it } from 'vitest';
import { answerPrompt, assembleDistilledPrompt, DEFAULT_CUE, distilledCompletion, distilledFormat, labelCompletion, reasoningStop } from '../../../../src/fiat/prompt/distilled-cot.ts';
import { classification } from '../fixtures.ts';

const values = { question: 'q', passage: 'p', answer: 'a', exemplars: '' };

describe('distilled CoT format', () => {
  it("takes the gap before the slot and the cue after it from I_τ's words", () => {
    expect(distilledFormat('Q: {{question}}\nReasoning:  {{reasoning}}\nLabel: \n')).toEqual({ gap: '  ', cue: '\nLabel:' });
    expect(distilledFormat('Q: {{question}}\nReasoning:\n{{reasoning}}')).toEqual({ gap: '', cue: DEFAULT_CUE });
    expect(distilledFormat('{{question}} {{reasoning}} \\{{label}}:')).toEqual({ gap: ' ', cue: ' {{label}}:' });
  });

  it('the prompt is I_τ up to the slot, its segments kept, without the gap; prompt + completion read as I_τ filled', () => {
    const tau = 'Q: {{question}} R: {{reasoning}}\nLabel:';
    const prompt = assembleDistilledPrompt(classification, tau, values);
    expect(prompt.text).toBe('Q: q R:');
    expect(prompt.segments.map((s) => s.kind === 'variable' ? `{${s.name}}` : s.text)).toEqual(['Q: ', '{question}', ' R:']);
    expect(prompt.characters).toBe(7);
    const completion = distilledCompletion(distilledFormat(tau), 'because\n', 'supported');
    expect(prompt.text + completion).toBe('Q: q R: because\nLabel: supported');
  });

  it('evaluation: stop the reasoning at the cue, then read the answer after prompt + reasoning + cue', () => {
    const format = distilledFormat('Q: {{question}}\nReasoning: {{reasoning}}\nLabel:');
    expect(reasoningStop(format)).toEqual(['Label:']);
    // What the model generated up to the stop (its own gap, a trailing newline the stop left).
    const scored = answerPrompt('Q: q\nReasoning:', ' it says so\n', format);
    expect(scored).toBe('Q: q\nReasoning: it says so\nLabel:');
    // The label completion is what the training completion has after that text.
    expect(scored + labelCompletion('supported')).toBe('Q: q\nReasoning:' + distilledCompletion(format, 'it says so', 'supported'));
  });
});
