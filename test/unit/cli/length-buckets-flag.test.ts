import { expect, test } from 'vitest';
import { parseLengthBuckets } from '../../../cli/train-command.ts';

test('--length-buckets takes off or lengths separated by commas, and names itself when a length is bad', () => {
  expect(parseLengthBuckets('off')).toBe('off');
  expect(parseLengthBuckets('64, 128')).toEqual([64, 128]);
  expect(() => parseLengthBuckets('64,x')).toThrow(/--length-buckets/);
});
