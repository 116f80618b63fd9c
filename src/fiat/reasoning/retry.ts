import { TRANSIENT_ERROR_KINDS, type ProviderError, type ProviderErrorKind } from '../../providers/errors.ts';

/** Time as the batch runner sees it; tests pass a fake one so no test sleeps for real. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface RetryPolicy {
  /** Attempts per prompt, the first included. */
  maxAttempts: number;
  /** Backoff before attempt n+1 is about baseDelayMs * 2^(n-1), capped at maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Fraction of the backoff that is random (0: none, 1: anywhere from 0 to the full backoff). */
  jitter: number;
  /** A Retry-After longer than this fails the prompt instead of waiting (the user can resume later). */
  maxRetryAfterMs: number;
  /** Error kinds worth another attempt. */
  retryOn: readonly ProviderErrorKind[];
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 0.5,
  maxRetryAfterMs: 120_000,
  // 429, 5xx, network, and bad-response: a garbled stream from a proxy is usually transient.
  retryOn: TRANSIENT_ERROR_KINDS,
});

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * Whether and when to try again after `attempt` (1-based) failed with `error`. A server's
 * Retry-After is honoured exactly (no jitter: it said when); otherwise exponential backoff with
 * jitter, `random` in [0, 1).
 */
export function retryDecision(attempt: number, error: ProviderError, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!policy.retryOn.includes(error.kind)) return { retry: false, reason: `${error.kind} errors are not retried` };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > policy.maxRetryAfterMs) {
      return { retry: false, reason: `the server asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s; resume the batch later` };
    }
    return { retry: true, delayMs: error.retryAfterMs };
  }
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return { retry: true, delayMs: Math.round(backoff * (1 - jitter) + backoff * jitter * random()) };
}
