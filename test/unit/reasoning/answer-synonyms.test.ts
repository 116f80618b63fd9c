import { describe, expect, it } from 'vitest';
import { extractAnswer, compileAnswerPattern, DEFAULT_ANSWER_PATTERN_SETTINGS } from '../../../src/fiat/reasoning/answer-pattern.ts';
import { verbalize } from '../../../src/fiat/reasoning/answer-normalise.ts';
import { parseSynonyms, verbalizerWithSynonyms } from '../../../src/fiat/reasoning/answer-synonyms.ts';
import { agreementsFor } from '../../../src/fiat/reasoning/quality.ts';
import { defaultAnswerSynonyms, findSampleTask } from '../../../src/fiat/task/samples.ts';
import type { Example, Label } from '../../../src/fiat/task/task.ts';

const labels: Label[] = [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }];
const attriqa = defaultAnswerSynonyms('sample:xor_attriqa');

describe('answer synonyms', () => {
  it('read "yes" and "no", in the sample task’s languages too, as its labels', () => {
    const verbalizer = verbalizerWithSynonyms(labels, attriqa);
    expect(['yes', 'Yes', 'はい', 'да', 'kyllä', 'হ্যাঁ', 'అవును'].map((a) => verbalize(a, verbalizer))).toEqual(['1', '1', '1', '1', '1', '1', '1']);
    expect(['no', 'いいえ', 'нет', 'ei', 'না', 'కాదు'].map((a) => verbalize(a, verbalizer))).toEqual(['0', '0', '0', '0', '0', '0']);
    // The verbalizer still wins over a synonym it contains: the longest name found decides.
    expect(verbalize('yes, it is not supported', verbalizer)).toBe('0');
    // Without synonyms, "yes" names no label.
    expect(verbalize('yes', verbalizerWithSynonyms(labels, {}))).toBeNull();
  });

  it('make a reasoning answering "yes" agree with gold on a supported example', () => {
    const spec = findSampleTask('sample:xor_attriqa')?.spec;
    if (spec?.kind !== 'classification') throw new Error('XOR-AttriQA is a classification task');
    const example: Example = { id: 'a', split: 'train', lang: 'ja', question: 'q', passage: 'p', answer: 'x', label: '1' };
    const compiled = compileAnswerPattern(DEFAULT_ANSWER_PATTERN_SETTINGS);
    if (!compiled.ok) throw new Error(compiled.message);
    const reasonings = new Map([['a', 'The passage states it. So the answer is yes.']]);
    expect(extractAnswer(reasonings.get('a') ?? '', compiled.regex)).toBe('yes');
    expect(agreementsFor(spec, [example], reasonings, compiled.regex, attriqa).get('a')?.status).toBe('agrees');
    expect(agreementsFor(spec, [example], reasonings, compiled.regex, {}).get('a')?.status).toBe('unparsed');
  });

  it('start empty for other tasks', () => {
    expect(defaultAnswerSynonyms('sample:xquad_xling')).toEqual({});
    expect(defaultAnswerSynonyms('imported:abc')).toEqual({});
  });

  it('parse a comma-separated list; a trailing comma is fine, duplicates are dropped', () => {
    expect(parseSynonyms(' yes, sure ,yes,', '1', labels, {})).toEqual({ ok: true, value: ['yes', 'sure'] });
    expect(parseSynonyms('', '1', labels, {})).toEqual({ ok: true, value: [] });
  });

  it('refuse, saying why: an empty word, a word with no letters, a word of another label', () => {
    const refusal = (text: string, synonyms = {}) => {
      const read = parseSynonyms(text, '1', labels, synonyms);
      return read.ok ? 'read' : read.error;
    };
    expect(refusal('yes,,sure')).toContain('empty word');
    expect(refusal('yes, !!')).toContain('“!!” has no letters or digits');
    expect(refusal('yes, no', attriqa)).toBe('“no” already reads as the label not supported');
    expect(refusal('Not Supported')).toBe('“Not Supported” already reads as the label not supported');
  });
});
