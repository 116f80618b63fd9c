import { describe, expect, it } from 'vitest';
import { exemplarFromExample, renderExemplars, selectExemplars } from '../../../src/fiat/exemplars/exemplars.ts';
import { classification, example, exemplar, qa } from './fixtures.ts';


describe('exemplars', () => {
  it('start from an example: per language for classification, shared for QA', () => {
    expect(exemplarFromExample(example('x', 'bn'), classification, 'e1')).toEqual({
      id: 'e1', exampleId: 'x', lang: 'bn', question: 'q-x', passage: 'p-x', answer: 'a-x', reasoning: '', label: '1',
    });
    expect(exemplarFromExample(example('y', 'ja', { answer: null }), qa, 'e2')).toMatchObject({ lang: null, answer: null, label: '' });
  });

  it('are selected for the example language plus all-language ones, in order, never the example itself', () => {
    const list = [exemplar('1', 'bn'), exemplar('2', null), exemplar('3', 'ja'), exemplar('4', 'bn', 'self')];
    expect(selectExemplars(list, 'bn', 'self').map((e) => e.id)).toEqual(['1', '2']);
    expect(selectExemplars(list, 'ja', 'other').map((e) => e.id)).toEqual(['2', '3']);
  });

  it('render in the fixed per-kind format, label as its verbalizer', () => {
    expect(renderExemplars([exemplar('1', null), exemplar('2', null)], classification, 'bn', null)).toBe(
      'Question: eq-1\nPassage: ep-1\nAnswer: ea-1\nReasoning: because 1\nLabel: not supported\n\n' +
        'Question: eq-2\nPassage: ep-2\nAnswer: ea-2\nReasoning: because 2\nLabel: not supported',
    );
    expect(renderExemplars([{ ...exemplar('1', null), label: '' }], qa, 'bn', null)).toBe(
      'Question: eq-1\nPassage: ep-1\nReasoning: because 1\nAnswer: no answer',
    );
  });
});
