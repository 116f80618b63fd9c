// The training subset of a run: drawn by example id for a seed, the same for every method; sizes nest; too large says so.
import { expect, test } from 'vitest';
import { drawTrainingSubset, trainPool } from '../../../../src/ui/features/experiments/runner/subset.ts';
import { runInputs } from '../../../../src/ui/features/experiments/runner/run-inputs.ts';
import { context, spec, task } from './fixtures.ts';

const ids = (draw: ReturnType<typeof drawTrainingSubset>) => (draw.ok ? draw.examples.map((e) => e.id) : draw.message);
const pool = () => trainPool(task().spec, task().examples);

test('the pool is the train split with a gold answer; a draw keeps the dataset order and depends only on ids and seed', () => {
  expect(pool().map((e) => e.id)).toEqual(Array.from({ length: 19 }, (_, i) => `t${i}`));
  const drawn = ids(drawTrainingSubset(pool(), 6, 3));
  expect(drawn).toHaveLength(6);
  expect([...(drawn as string[])].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))).toEqual(drawn);
  // The same examples in another order (another dataset's layout) give the same draw.
  expect(ids(drawTrainingSubset([...pool()].reverse(), 6, 3))).toEqual([...(drawn as string[])].reverse());
});

test('different seeds draw different examples; a larger size at the same seed holds the smaller one', () => {
  const draws = [0, 1, 2, 3].map((seed) => ids(drawTrainingSubset(pool(), 6, seed)));
  expect(new Set(draws.map((d) => JSON.stringify(d))).size).toBeGreaterThan(1);
  const small = ids(drawTrainingSubset(pool(), 5, 7)) as string[];
  const large = ids(drawTrainingSubset(pool(), 12, 7)) as string[];
  expect(large).toEqual(expect.arrayContaining(small));
});

test('a size larger than the train split says so', () => {
  expect(drawTrainingSubset(pool(), 20, 0)).toEqual({ ok: false, message: 'a training set of 20 examples was asked, and the train split has 19 with a gold answer' });
  expect(drawTrainingSubset(pool(), 19, 0).ok).toBe(true);
});

test('every method at a size and seed trains on the same examples', async () => {
  const drawnBy = async (method: string) => {
    const inputs = await runInputs(spec(method, { seed: 5 }), context(), { backend: { ep: 'wasm', note: null }, tag: { experimentId: 'x', itemId: 'i', method } });
    if (!inputs.ok) throw new Error(inputs.message);
    return inputs.drawn.map((e) => e.id);
  };
  const fiat = await drawnBy('fiat');
  expect(fiat).toEqual(ids(drawTrainingSubset(pool(), 6, 5)));
  for (const method of ['fine-tune', 'no-cot', 'no-instruction', 'distilled-cot']) expect(await drawnBy(method)).toEqual(fiat);
});
