import type { Sliced } from '../../fiat/slices.ts';

/** Work done between two turns given to the page (a frame and a bit). */
const BUDGET_MS = 25;

const giveTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Run sliced work (fiat/slices.ts) in the page: slices until BUDGET_MS have passed, then a
 * turn for the browser (input, paint), so that 100,000 rows never hold the page for long. Stops with
 * the signal's reason when it aborts.
 */
export async function runSliced<T>(work: Sliced<T>, signal?: AbortSignal): Promise<T> {
  // Its first slice in a task of its own: works started by one render (the plan, the agreements, the
  // quality figures) would otherwise each spend their budget in the task that started them.
  await giveTurn();
  signal?.throwIfAborted();
  let since = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - since < BUDGET_MS) continue;
    await giveTurn();
    signal?.throwIfAborted();
    since = performance.now();
  }
}
