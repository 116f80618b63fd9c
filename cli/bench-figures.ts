/**
 * The figures `fiat bench` derives from the measured time per step. Each rate comes from the unrounded
 * time, so a rate times the rounded ms/step does not give back the work per step (off by up to 0.05 ms
 * over the step time): tests check this arithmetic with given times, never with measured ones.
 */
export interface StepFigures {
  /** Rounded to 0.1 ms. */
  readonly msPerStep: number;
  /** Tokens per step (B x T, padding included) per second, to 0.1. */
  readonly tokensPerSecond: number;
  /** Product flops per step over the step time, in TFLOP/s, to 3 significant digits. */
  readonly productTflopPerSecond: number;
}

export function stepFigures(msPerStep: number, tokensPerStep: number, productFlopsPerStep: number): StepFigures {
  return {
    msPerStep: +msPerStep.toFixed(1),
    tokensPerSecond: +((tokensPerStep * 1000) / msPerStep).toFixed(1),
    productTflopPerSecond: +(productFlopsPerStep / msPerStep / 1e9).toPrecision(3),
  };
}
