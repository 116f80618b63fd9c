/**
 * `fn`, remembering its last arguments (compared with Object.is) and result. For derived data that several
 * mounted components read through the same hook (useMemo is per component): the first to render computes it,
 * the others get the same object, so the work is done once and memoised children see no change.
 * `fn` must be pure; one entry only, so callers that alternate arguments recompute (never go stale).
 */
export function memoizeLast<A extends readonly unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | null = null;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.result;
    const result = fn(...args);
    last = { args, result };
    return result;
  };
}
