import { expect, it } from 'vitest';
import { memoizeLast } from '../../../src/ui/lib/memoize-last.ts';

it('computes once for the same arguments, again for others, and never returns a stale result', () => {
  let calls = 0;
  const keys = memoizeLast((items: readonly string[], prefix: string) => {
    calls += 1;
    return items.map((i) => prefix + i);
  });
  const items = ['a', 'b'];
  const first = keys(items, 'x');
  expect(keys(items, 'x')).toBe(first);
  expect(calls).toBe(1);
  expect(keys(items, 'y')).toEqual(['ya', 'yb']);
  expect(keys(['a', 'b'], 'y')).toEqual(['ya', 'yb']); // equal but not the same array: computed again
  expect(calls).toBe(3);
  expect(keys(items, 'x')).toEqual(first);
  expect(calls).toBe(4);
});
