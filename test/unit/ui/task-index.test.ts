import { describe, expect, it } from 'vitest';
import { examplesInScope } from '../../../src/fiat/reasoning/jobs.ts';
import type { Example } from '../../../src/fiat/task/task.ts';
import { objectKey } from '../../../src/ui/lib/object-key.ts';
import { taskIndex } from '../../../src/ui/state/task-index.ts';

const example = (id: string, split: Example['split'], lang: string): Example => ({ id, lang, split, question: 'q', passage: 'p', answer: 'a' });

describe('taskIndex', () => {
  const examples = [example('a', 'validation', 'fi'), example('b', 'train', 'ar'), example('c', 'train', 'fi')];

  it('groups the examples by split in the task order, as examplesInScope selects them', () => {
    const index = taskIndex(examples);
    expect(index.splits).toEqual(['train', 'validation']);
    expect(index.bySplit.get('train')).toEqual(examplesInScope(examples, 'train', []));
    expect(index.bySplit.get('validation')).toEqual(examplesInScope(examples, 'validation', []));
    expect(index.bySplit.has('test')).toBe(false);
    expect(index.languages).toEqual(['ar', 'fi']);
  });

  it('is computed once per examples array', () => {
    expect(taskIndex(examples)).toBe(taskIndex(examples));
    expect(taskIndex([...examples])).not.toBe(taskIndex(examples));
  });
});

describe('objectKey', () => {
  it('is one number per object, another for an equal copy', () => {
    const a = { x: 1 };
    expect(objectKey(a)).toBe(objectKey(a));
    expect(objectKey({ x: 1 })).not.toBe(objectKey(a));
  });
});
