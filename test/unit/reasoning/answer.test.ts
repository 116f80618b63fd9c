import { describe, expect, it } from 'vitest';
import { exampleAgreement, predictFromReasoning, summariseAgreement, type AnswerTask } from '../../../src/fiat/reasoning/agreement.ts';
import { ATTRIBUTION_VERBALIZER, normaliseAnswerText, normaliseQaAnswer, tokenF1, verbalize } from '../../../src/fiat/reasoning/answer-normalise.ts';
import { compileAnswerPattern, DEFAULT_ANSWER_PATTERN_SETTINGS, extractAnswer } from '../../../src/fiat/reasoning/answer-pattern.ts';
import { selectTrainingExamples } from '../../../src/fiat/reasoning/training-filter.ts';
import { costOf, estimateGenerationCost, pricePer1K } from '../../../src/fiat/reasoning/cost.ts';

function defaultRegex(): RegExp {
  const compiled = compileAnswerPattern(DEFAULT_ANSWER_PATTERN_SETTINGS);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.regex;
}

describe('answer pattern', () => {
  const regex = defaultRegex();

  it('extracts the answer after "So the answer is", case-insensitively, last match winning', () => {
    expect(extractAnswer('The passage says so. So the answer is supported.', regex)).toBe('supported');
    expect(extractAnswer('so THE ANSWER IS: "Portland".', regex)).toBe('Portland');
    expect(extractAnswer('If it were X, so the answer is X. But wait.\nSo the answer is **not supported**.', regex)).toBe('not supported');
  });

  it('keeps inner punctuation and non-Latin scripts', () => {
    expect(extractAnswer('So the answer is U.S. Army.', regex)).toBe('U.S. Army');
    expect(extractAnswer('So the answer is ২৭ অক্টোবর, ১৯৮৬।', regex)).toBe('২৭ অক্টোবর, ১৯৮৬।');
    expect(extractAnswer('So the answer is 「東京」。', regex)).toBe('東京');
  });

  it('returns null when the reasoning has no answer in the expected form', () => {
    expect(extractAnswer('I am not sure.', regex)).toBeNull();
    expect(extractAnswer('So the answer is .', regex)).toBeNull();
  });

  it('accepts a custom pattern, case-sensitive on request', () => {
    const custom = compileAnswerPattern({ source: 'Answer: (\\w+)', caseSensitive: true });
    expect(custom.ok).toBe(true);
    if (custom.ok) {
      expect(extractAnswer('Answer: yes', custom.regex)).toBe('yes');
      expect(extractAnswer('answer: yes', custom.regex)).toBeNull();
    }
  });

  it('explains a bad pattern', () => {
    expect(compileAnswerPattern({ source: 'so the answer is (', caseSensitive: false })).toMatchObject({ ok: false, message: expect.stringMatching(/^not a valid regular expression/) as unknown });
    expect(compileAnswerPattern({ source: 'so the answer is .+', caseSensitive: false })).toMatchObject({ ok: false, message: expect.stringMatching(/capture group/) as unknown });
    expect(compileAnswerPattern({ source: '(.*)', caseSensitive: false })).toMatchObject({ ok: false, message: expect.stringMatching(/matches empty text/) as unknown });
  });
});

describe('normalisation', () => {
  it('normalises like SQuAD', () => {
    expect(normaliseAnswerText('  The  Portland, Oregon! ')).toBe('portland oregon');
    expect(normaliseAnswerText('Ｐｏｒｔｌａｎｄ')).toBe('portland');
  });

  it('verbalizes supported / not supported, preferring the longer name', () => {
    expect(verbalize('Supported', ATTRIBUTION_VERBALIZER)).toBe(1);
    expect(verbalize('not supported', ATTRIBUTION_VERBALIZER)).toBe(0);
    expect(verbalize('The answer is not supported by the passage', ATTRIBUTION_VERBALIZER)).toBe(0);
    expect(verbalize('yes, it is supported', ATTRIBUTION_VERBALIZER)).toBe(1);
    expect(verbalize('maybe', ATTRIBUTION_VERBALIZER)).toBeNull();
    // two classes' names, equally long, both present: ambiguous
    const animals = { labels: [{ label: 'cat', names: ['cat'] }, { label: 'dog', names: ['dog'] }] };
    expect(verbalize('cat or dog', animals)).toBeNull();
    expect(verbalize('a dog', animals)).toBe('dog');
  });

  it('recognises "no answer" in its usual phrasings, but not inside real answers', () => {
    expect(normaliseQaAnswer('No answer.')).toBeNull();
    expect(normaliseQaAnswer('The question cannot be answered from the passage')).toBeNull();
    expect(normaliseQaAnswer('None')).toBeNull();
    expect(normaliseQaAnswer('None of the above')).toBe('none of above');
    expect(normaliseQaAnswer('The Unknown Soldier')).toBe('unknown soldier');
  });

  it('computes token F1', () => {
    expect(tokenF1('portland oregon', 'portland')).toBeCloseTo(2 / 3, 10);
    expect(tokenF1(null, null)).toBe(1);
    expect(tokenF1('portland', null)).toBe(0);
    expect(tokenF1('a b', 'c d')).toBe(0);
  });
});

describe('agreement with gold', () => {
  const regex = defaultRegex();
  const attribution: AnswerTask = { kind: 'classification', verbalizer: ATTRIBUTION_VERBALIZER };
  const qa: AnswerTask = { kind: 'extractive-qa' };

  it('classification: agrees, disagrees, unparsed, missing; labels compare as text', () => {
    const gold = { kind: 'label' as const, label: 1 };
    expect(exampleAgreement('a', 'So the answer is supported.', gold, regex, attribution).status).toBe('agrees');
    expect(exampleAgreement('b', 'So the answer is not supported.', gold, regex, attribution).status).toBe('disagrees');
    expect(exampleAgreement('c', 'Hmm.', gold, regex, attribution).status).toBe('unparsed');
    expect(exampleAgreement('d', 'So the answer is purple.', gold, regex, attribution).status).toBe('unparsed');
    expect(exampleAgreement('e', undefined, gold, regex, attribution).status).toBe('missing');
    expect(exampleAgreement('f', 'So the answer is yes.', { kind: 'label', label: '1' }, regex, attribution).status).toBe('agrees');
  });

  it('extractive QA: exact match after normalisation, F1, and no-answer both ways', () => {
    const portland = { kind: 'span' as const, text: 'Portland' };
    expect(exampleAgreement('a', 'So the answer is the Portland.', portland, regex, qa)).toMatchObject({ status: 'agrees', f1: 1 });
    const partial = exampleAgreement('b', 'So the answer is Portland, Oregon.', portland, regex, qa);
    expect(partial.status).toBe('disagrees');
    expect(partial.f1).toBeCloseTo(2 / 3, 10);
    expect(exampleAgreement('c', 'So the answer is no answer.', { kind: 'span', text: null }, regex, qa)).toMatchObject({ status: 'agrees', f1: 1 });
    expect(exampleAgreement('d', 'So the answer is no answer.', portland, regex, qa)).toMatchObject({ status: 'disagrees', f1: 0 });
    expect(exampleAgreement('e', 'I do not know', portland, regex, qa)).toMatchObject({ status: 'unparsed', f1: 0 });
  });

  it('the parsed answers are the ICL predictions', () => {
    expect(predictFromReasoning('So the answer is not supported.', regex, attribution)).toEqual({ kind: 'classification', answer: 'not supported', label: 0 });
    expect(predictFromReasoning('So the answer is "The Panthers".', regex, qa)).toEqual({ kind: 'extractive-qa', answer: 'The Panthers', text: 'panthers' });
  });

  it('summarises overall agreement over examples with a reasoning', () => {
    const gold = { kind: 'label' as const, label: 1 };
    const items = [
      exampleAgreement('a', 'So the answer is supported.', gold, regex, attribution),
      exampleAgreement('b', 'So the answer is supported.', gold, regex, attribution),
      exampleAgreement('c', 'So the answer is not supported.', gold, regex, attribution),
      exampleAgreement('d', 'no idea', gold, regex, attribution),
      exampleAgreement('e', undefined, gold, regex, attribution),
      // Stopped at max tokens: counted apart, not in the rate, whatever its text says.
      exampleAgreement('f', { reasoning: 'So the answer is supported. And', finishReason: 'length' }, gold, regex, attribution),
    ];
    expect(summariseAgreement(items)).toEqual({ total: 6, agrees: 2, disagrees: 1, unparsed: 1, truncated: 1, missing: 1, rate: 0.5, meanF1: null });
    expect(summariseAgreement([]).rate).toBeNull();
  });
});

describe('training filter', () => {
  const regex = defaultRegex();
  const task: AnswerTask = { kind: 'classification', verbalizer: ATTRIBUTION_VERBALIZER };
  const examples = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }];
  const agreements = new Map(
    [
      exampleAgreement('a', 'So the answer is supported.', { kind: 'label', label: 1 }, regex, task),
      exampleAgreement('b', 'So the answer is supported.', { kind: 'label', label: 0 }, regex, task),
      exampleAgreement('c', 'So the answer is not supported.', { kind: 'label', label: 0 }, regex, task),
    ].map((a) => [a.exampleId, a]),
  );

  it('is off by default (as in the paper): every example is kept', () => {
    expect(selectTrainingExamples(examples, (e) => e.id, agreements)).toEqual({ selected: examples, excluded: [] });
  });

  it('when on, keeps only examples whose reasoning agrees with gold, in order', () => {
    const result = selectTrainingExamples(examples, (e) => e.id, agreements, { onlyAgreeing: true });
    expect(result.selected.map((e) => e.id)).toEqual(['a', 'c']);
    expect(result.excluded).toEqual([
      { exampleId: 'b', status: 'disagrees' },
      { exampleId: 'd', status: 'missing' },
    ]);
  });
});

describe('cost', () => {
  it('prices usage per million tokens, and converts per-1K prices', () => {
    expect(costOf({ promptTokens: 1_000_000, completionTokens: 500_000, estimated: false }, { input: 0.15, output: 0.6 })).toBeCloseTo(0.45, 10);
    expect(pricePer1K(0.001, 0.002)).toEqual({ input: 1, output: 2 });
  });

  it('estimates a run before it starts and marks it estimated', () => {
    const est = estimateGenerationCost([[{ role: 'user', content: 'x'.repeat(400) }], [{ role: 'user', content: 'y'.repeat(40) }]], 100, { input: 1, output: 2 });
    expect(est.usage).toEqual({ promptTokens: 100 + 4 + 10 + 4, completionTokens: 200, estimated: true });
    expect(est.cost).toBeCloseTo((118 + 400) / 1e6, 12);
  });
});
