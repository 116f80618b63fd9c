/**
 * Work over many examples (100,000 in an imported task) in slices, yielding to the event loop between
 * them, so that no single task of the page runs long enough to freeze it: typing, clicks and paints
 * get in between. A signal stops it between two slices (react-query aborts a stale run).
 */
export async function forEachSlice<T>(
  items: readonly T[],
  size: number,
  each: (slice: readonly T[], start: number) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await yieldToEventLoop();
    signal?.throwIfAborted();
    await each(items.slice(start, start + size), start);
  }
}

interface Scheduler {
  yield(): Promise<void>;
}

/**
 * Lets the page handle input and paint. `scheduler.yield()` (Chromium) resumes ahead of other queued
 * work; `setTimeout` elsewhere (Node tests; browsers clamp it to 4 ms after a few nested calls).
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<Scheduler> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Work over many rows is written as a generator that yields after each slice of rows (the number of
 * rows done) and returns its result, so that the page can give the browser a turn between slices
 * while the CLI, samples and tests run it in one go. The generators are pure: they do no waiting.
 */
export type Sliced<T> = Generator<number, T, void>;

/** Run sliced work to its end without pausing. */
export function runToEnd<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}
