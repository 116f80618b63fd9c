import { SeededRandom } from '../models/random.ts';

/**
 * The order in which a training run visits its examples: a seeded Fisher-Yates shuffle of all of them per epoch
 * (epoch e uses seed + e), read batchSize at a time across epoch boundaries, so every example is seen once per
 * epoch and the same seed gives the same batches on any machine. Step k's batch is a pure function of
 * (count, batchSize, seed, k): a resumed run continues exactly where it stopped.
 */
export function batchIndices(count: number, batchSize: number, seed: number, step: number): number[] {
  if (count === 0) return [];
  const start = (step - 1) * batchSize;
  const out: number[] = [];
  let epoch = -1;
  let order: number[] = [];
  for (let i = start; i < start + batchSize; i++) {
    const e = Math.floor(i / count);
    if (e !== epoch) {
      epoch = e;
      order = epochOrder(count, seed + e);
    }
    out.push(order[i % count]!);
  }
  return out;
}

function epochOrder(count: number, seed: number): number[] {
  const random = new SeededRandom(seed);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
