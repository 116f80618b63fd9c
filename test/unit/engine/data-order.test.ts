import { expect, test } from 'vitest';
import { batchIndices } from '../../../src/engine/data-order.ts';

test('each epoch visits every example once, in a seeded order that differs between epochs', () => {
  const epoch = (e: number) => [1, 2, 3, 4, 5].flatMap((k) => batchIndices(10, 2, 7, e * 5 + k));
  const first = epoch(0);
  const second = epoch(1);
  expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect([...second].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(second).not.toEqual(first);
});

test('a batch crossing an epoch boundary takes the end of one shuffle and the start of the next', () => {
  const all = [1, 2, 3].flatMap((s) => batchIndices(5, 2, 3, s)); // 6 indices: epoch 0 (5) + 1 of epoch 1
  expect(all.slice(0, 5).sort()).toEqual([0, 1, 2, 3, 4]);
  expect(all[5]).toBe(batchIndices(5, 5, 4, 1)[0]); // epoch 1 is the shuffle seeded seed + 1
});

test('the same step and seed give the same batch (a resumed run continues exactly)', () => {
  expect(batchIndices(100, 8, 1, 37)).toEqual(batchIndices(100, 8, 1, 37));
  expect(batchIndices(100, 8, 1, 37)).not.toEqual(batchIndices(100, 8, 2, 37));
});
