import { targetOf, type Example, type TaskSpec } from '../../../../fiat/task/task.ts';

/**
 * The training subset of a run: `size` examples of the train split drawn for a seed, by example id alone, so every
 * method at that size and seed trains on the same examples ("identical splits and data order": the engine's seeded
 * shuffle then orders them the same way too). Each example gets a rank from a hash of (seed, id); the `size` lowest
 * ranks are drawn, and kept in the dataset's order. A larger size at the same seed holds the smaller one's examples.
 * Only examples with a gold answer can be drawn (the others are never trained). `SUBSET_DRAW_VERSION` goes into the
 * experiment's data hash: change it whenever the draw changes, so old results are not reused for other examples.
 */
export const SUBSET_DRAW_VERSION = 1;

export type SubsetDraw = { readonly ok: true; readonly examples: readonly Example[] } | { readonly ok: false; readonly message: string };

/** The train split's examples that can be trained (a gold answer), in the dataset's order. */
export function trainPool(spec: TaskSpec, examples: readonly Example[]): Example[] {
  return examples.filter((e) => e.split === 'train' && targetOf(spec, e) !== undefined);
}

export function drawTrainingSubset(pool: readonly Example[], size: number, seed: number): SubsetDraw {
  if (size > pool.length) {
    return { ok: false, message: `a training set of ${size} examples was asked, and the train split has ${pool.length} with a gold answer` };
  }
  const ranked = pool.map((example, index) => ({ index, rank: rankOf(seed, example.id) }));
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const chosen = ranked.slice(0, size).map((r) => r.index).sort((a, b) => a - b);
  return { ok: true, examples: chosen.map((i) => pool[i]!) };
}

/** FNV-1a (32-bit) of "seed:id", mixed once more: stable across browsers and Node, and spread enough for a draw. */
function rankOf(seed: number, id: string): number {
  const text = `${seed}:${id}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
