import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS } from '../../../src/fiat/project/project.ts';
import { filterExamples, indexExamples } from '../../../src/fiat/task/filter.ts';
import type { Example, TaskSpec } from '../../../src/fiat/task/task.ts';

const spec: TaskSpec = { kind: 'extractive-qa', noAnswer: 'no answer' };
const ex = (id: string, over: Partial<Example>): Example => ({ id, split: 'train', lang: 'bn', question: 'q', passage: 'p', answer: 'a', ...over });
const examples = [
  ex('1', { question: 'Where is Portland?' }),
  ex('2', { split: 'validation', lang: 'ja', answer: null }),
  ex('3', { lang: 'ja', passage: 'The Oregon city of Portland' }),
];

describe('filterExamples', () => {
  const index = indexExamples(spec, examples);
  const ids = (f: Partial<typeof DEFAULT_FILTERS>) => filterExamples(index, { ...DEFAULT_FILTERS, ...f }).map((e) => e.id);

  it('filters by split, language and label', () => {
    expect(ids({})).toEqual(['1', '2', '3']);
    expect(ids({ split: 'validation' })).toEqual(['2']);
    expect(ids({ lang: 'ja' })).toEqual(['2', '3']);
    expect(ids({ label: 'no-answer' })).toEqual(['2']);
    expect(ids({ lang: 'ja', label: 'answerable' })).toEqual(['3']);
  });

  it('searches case-insensitively, every term must match', () => {
    expect(ids({ search: 'portland' })).toEqual(['1', '3']);
    expect(ids({ search: 'PORTLAND oregon' })).toEqual(['3']);
    expect(ids({ search: '  ' })).toEqual(['1', '2', '3']);
  });

  it('memoises the index per examples array', () => {
    expect(indexExamples(spec, examples)).toBe(index);
  });
});
