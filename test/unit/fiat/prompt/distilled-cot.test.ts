import { describe, expect, it } from 'vitest';
import { assembleRationalePrompt, distilledCotErrors, rationaleCompletion, rationaleGap } from '../../../../src/fiat/prompt/distilled-cot.ts';
import { classification } from '../fixtures.ts';

const values = { question: 'q', passage: 'p', answer: 'a', exemplars: '' };

describe('distilled CoT: the rationale task', () => {
  it("takes the gap before the slot from I_τ's words", () => {
    expect(rationaleGap('Q: {{question}}\nReasoning:  {{reasoning}}\nLabel: \n')).toBe('  ');
    expect(rationaleGap('Q: {{question}}\nReasoning:\n{{reasoning}}')).toBe('');
    expect(rationaleGap('Q: {{question}}')).toBe('');
  });

  it('the prompt is I_τ up to the slot, its segments kept, without the gap; prompt + completion read as I_τ up to the reasoning', () => {
    const tau = 'Q: {{question}} R: {{reasoning}}\nLabel:';
    const prompt = assembleRationalePrompt(classification, tau, values);
    expect(prompt.text).toBe('Q: q R:');
    expect(prompt.segments.map((s) => (s.kind === 'variable' ? `{${s.name}}` : s.text))).toEqual(['Q: ', '{question}', ' R:']);
    expect(prompt.characters).toBe(7);
    expect(prompt.text + rationaleCompletion(tau, 'because\n')).toBe('Q: q R: because');
  });

  it('an I_τ without {{reasoning}} gets a message at its first line', () => {
    const errors = distilledCotErrors('Q: {{question}}\nLabel:');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.severity).toBe('error');
    expect(errors[0]?.message).toContain('needs a {{reasoning}}');
    expect(distilledCotErrors('Q: {{question}} {{reasoning}} {{passage}}')).toEqual([]);
  });
});
