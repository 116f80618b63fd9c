import { expect, test } from 'vitest';
import { stepFigures } from '../../../cli/bench-figures.ts';

test('stepFigures: rates from the unrounded step time, ms/step rounded to 0.1 ms', () => {
  // 8 tokens (1 x 8) and 1,136,640 product flops per step.
  expect(stepFigures(12.34, 8, 1136640)).toEqual({ msPerStep: 12.3, tokensPerSecond: 648.3, productTflopPerSecond: 0.0000921 });
  // A sub-millisecond step: ms/step 0.8, yet the rates are those of 0.84 ms. Multiplying a rate by the rounded
  // ms/step misses the work per step by 5% here, which is why no test relates them on a measured step.
  expect(stepFigures(0.84, 8, 1136640)).toEqual({ msPerStep: 0.8, tokensPerSecond: 9523.8, productTflopPerSecond: 0.00135 });
});
