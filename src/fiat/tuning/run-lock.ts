/**
 * One owner for the running tuning run across the studio's tabs: the tab that starts (or resumes) a run holds a Web
 * Lock for as long as it runs; another tab asking for it gets "busy" and says that a run is active elsewhere, instead of
 * training the same run a second time and writing over its checkpoints. The lock is released when the run ends or the
 * tab closes (the browser releases a closed tab's locks), so a reload can resume.
 */
export const TUNING_LOCK = 'fiat-studio.tuning-run';

/** The part of the Web Locks API this needs (navigator.locks), injectable for tests. */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

export type LockedRun<T> = { readonly status: 'ran'; readonly value: T } | { readonly status: 'busy' };

/** Runs `work` while holding the tuning lock, or answers 'busy' at once when another tab holds it. */
export async function withTuningLock<T>(locks: LockManagerLike, work: () => Promise<T>): Promise<LockedRun<T>> {
  let result: LockedRun<T> = { status: 'busy' };
  await locks.request(TUNING_LOCK, { ifAvailable: true }, async (lock) => {
    if (lock === null) return;
    result = { status: 'ran', value: await work() };
  });
  return result;
}
