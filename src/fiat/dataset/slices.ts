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
