import { expect, test } from 'vitest';
import { decimal } from '../../../cli/format.ts';

test('decimal: four significant digits with the largest prefix that keeps the value at least 1', () => {
  expect(decimal(2.718e12, 'FLOP')).toBe('2.718 TFLOP');
  expect(decimal(149.3e9, 'B')).toBe('149.3 GB');
  expect(decimal(1136640, 'FLOP')).toBe('1.137 MFLOP');
  expect(decimal(999, 'B')).toBe('999.0 B');
  expect(decimal(1000, 'B')).toBe('1.000 kB');
  expect(decimal(0, 'FLOP')).toBe('0.000 FLOP');
});
