import { describe, expect, it } from 'vitest';
import { exemplarFromExample, renderExemplars, selectExemplars, type Exemplar } from '../../../src/fiat/exemplars/exemplars.ts';
import type { Example, TaskSpec } from '../../../src/fiat/task/task.ts';
import { previewExample } from '../../../src/fiat/template/preview.ts';

const classification: TaskSpec = { kind: 'classification', labels: [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }] };
const qa: TaskSpec = { kind: 'extractive-qa', noAnswer: 'no answer' };
const example = (id: string, lang: string, over: Partial<Example> = {}): Example => ({
  id, lang, split: 'train', question: `q-${id}`, passage: `p-${id}`, answer: `a-${id}`, label: '1', ...over,
});
const exemplar = (id: string, lang: string | null, exampleId: string | null = null): Exemplar => ({
  id, exampleId, lang, question: `eq-${id}`, passage: `ep-${id}`, answer: `ea-${id}`, reasoning: `because ${id}`, label: '0',
});

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

describe('previewExample', () => {
  it('renders I_β with exemplars, I_τ with a pending reasoning slot, and the target y', () => {
    const p = previewExample({
      spec: classification,
      example: example('x', 'bn'),
      instructions: { beta: '{{exemplars}}\n---\n{{question}}', tau: '{{question}} {{answer}} R: {{reasoning}}' },
      exemplars: [exemplar('1', 'bn'), exemplar('2', 'ja')],
    });
    expect(p.beta.text).toBe('Question: eq-1\nPassage: ep-1\nAnswer: ea-1\nReasoning: because 1\nLabel: not supported\n---\nq-x');
    expect(p.tau.text).toBe('q-x a-x R: ');
    expect(p.tau.pendingReasoning).toBe(true);
    expect(p.target).toBe('supported');
  });

  it('targets the answer span or the no-answer text for QA', () => {
    const base = { spec: qa, instructions: { beta: '', tau: '' }, exemplars: [] };
    expect(previewExample({ ...base, example: example('x', 'bn') }).target).toBe('a-x');
    expect(previewExample({ ...base, example: example('x', 'bn', { answer: null }) }).target).toBe('no answer');
  });
});
