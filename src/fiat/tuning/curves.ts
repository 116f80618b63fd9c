/**
 * What the run view draws and says about a run in progress, from its step events: the loss smoothed as TensorBoard
 * smooths it (an exponential moving average, debiased so the first points are not pulled towards 0), the throughput
 * and the time left. Pure functions over plain arrays.
 */

export interface LossPoint {
  readonly step: number;
  readonly loss: number;
}

/** TensorBoard's smoothing: ema = w ema + (1 - w) x, divided by 1 - w^n (n points so far). weight in [0, 1). */
export function smoothLosses(points: readonly LossPoint[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new Error(`smoothing weight must be in [0, 1), got ${weight}`);
  let ema = 0;
  let n = 0;
  return points.map((p) => {
    n++;
    ema = weight * ema + (1 - weight) * p.loss;
    return ema / (1 - weight ** n);
  });
}

export interface Throughput {
  /** Non-padding tokens per second over the window. */
  readonly tokensPerSecond: number;
  /** Seconds per optimizer step over the window. */
  readonly secondsPerStep: number;
  /** Seconds left at that pace for the steps not done yet (evaluations not counted); null before two points. */
  readonly secondsLeft: number | null;
}

export interface StepSample {
  readonly step: number;
  readonly tokens: number;
  /** Positions the step computed (rows x padded length, TrainProgress.positions): tokens plus padding. */
  readonly positions?: number;
  /** Milliseconds since the segment started (TrainProgress.elapsedMs); a new segment restarts it. */
  readonly elapsedMs: number;
}

/**
 * Pace over the last `window` steps of one segment (samples whose elapsed time only grows). Steps are pipelined, so the
 * time between losses is the time per step once the pipeline is full; the first sample of a segment includes the
 * setup and is left out.
 */
export function throughput(samples: readonly StepSample[], totalSteps: number, window = 20): Throughput | null {
  let start = samples.length - 1;
  while (start > 0 && samples.length - start <= window && samples[start - 1]!.elapsedMs <= samples[start]!.elapsedMs) start--;
  const recent = samples.slice(start);
  if (recent.length < 2) return null;
  const first = recent[0]!;
  const last = recent.at(-1)!;
  const seconds = (last.elapsedMs - first.elapsedMs) / 1000;
  if (seconds <= 0) return null;
  const steps = last.step - first.step;
  const tokens = recent.slice(1).reduce((a, s) => a + s.tokens, 0);
  const secondsPerStep = seconds / steps;
  return { tokensPerSecond: tokens / seconds, secondsPerStep, secondsLeft: Math.max(0, totalSteps - last.step) * secondsPerStep };
}

/** The share of the computed positions that were padding, over the samples that say (null when none do). */
export function paddingShare(samples: readonly StepSample[]): number | null {
  let tokens = 0;
  let positions = 0;
  for (const s of samples) {
    if (s.positions === undefined || s.positions <= 0) continue;
    tokens += s.tokens;
    positions += s.positions;
  }
  return positions === 0 ? null : Math.max(0, 1 - tokens / positions);
}

/** "1 h 4 min", "3 min 20 s", "12 s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
