import { EngineError, throwIfCancelled } from '../errors.ts';

/** How hard a source tries before it gives up; see SourceDeps. */
export interface RetryPolicy {
  readonly fetch: typeof fetch;
  readonly retries: number;
  readonly retryDelayMs: number;
  /** A request whose response (headers) has not come after this long is abandoned and asked again. */
  readonly stallMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** Why a request gave up. Sources word it for the user (hub-errors.ts, url-files.ts). */
export type RequestFailure =
  /** A status that is the request's fault (4xx), at once; or a server's (5xx, 408, 429) that outlasted the retries. */
  | { readonly kind: 'status'; readonly status: number; readonly errorCode: string | null; readonly retried: boolean }
  /** fetch rejected before any response: offline, wrong address, refused, or CORS (a browser does not say which). */
  | { readonly kind: 'unreachable' }
  /** A download lost its connection, or received nothing for stallMs, once too often. */
  | { readonly kind: 'interrupted'; readonly reason: 'dropped' | 'stalled' };

export type Attempt = { readonly response: Response } | { readonly failure: RequestFailure };

/** Statuses worth asking again: the server's trouble, not the request's. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * One request (a HEAD, a small GET), asked again after a network error or a retryable status with growing
 * delays; any other response is returned for the caller to read. The caller's abort is an EngineError 'cancelled'.
 */
export async function requestWithRetries(url: string, init: RequestInit, policy: RetryPolicy): Promise<Attempt> {
  for (let failures = 1; ; failures += 1) {
    const sent = await fetchWithin(url, init, policy, new AbortController());
    if ('response' in sent && !isRetryableStatus(sent.response.status)) return sent;
    let failure: RequestFailure;
    if ('response' in sent) {
      failure = { kind: 'status', status: sent.response.status, errorCode: sent.response.headers.get('x-error-code'), retried: true };
      await discardBody(sent.response);
    } else failure = sent.failure;
    if (failures > policy.retries) return { failure };
    await sleep(retryDelay(failures, policy.retryDelayMs, 'response' in sent ? sent.response : null), policy.signal);
  }
}

/**
 * One fetch on `attempt` (aborted with the caller's signal), given up when no response has come within stallMs: a
 * server that accepts the connection and never answers must not hang a load. A rejected fetch is 'unreachable',
 * one given up is 'stalled'; the caller's abort is an EngineError 'cancelled'.
 */
export async function fetchWithin(url: string, init: RequestInit, policy: RetryPolicy, attempt: AbortController): Promise<Attempt> {
  const stopLinking = linkAbort(policy.signal, attempt);
  let stalled = false;
  const timer = setTimeout(() => {
    stalled = true;
    attempt.abort();
  }, policy.stallMs);
  try {
    return { response: await policy.fetch(url, { ...init, signal: attempt.signal }) };
  } catch {
    throwIfCancelled(policy.signal);
    return { failure: stalled ? { kind: 'interrupted', reason: 'stalled' } : { kind: 'unreachable' } };
  } finally {
    clearTimeout(timer);
    stopLinking();
  }
}

/** Aborts `attempt` when `signal` aborts (until the returned function is called). */
export function linkAbort(signal: AbortSignal | undefined, attempt: AbortController): () => void {
  if (!signal) return () => undefined;
  const abort = () => attempt.abort();
  if (signal.aborted) abort();
  signal.addEventListener('abort', abort, { once: true });
  return () => signal.removeEventListener('abort', abort);
}

/**
 * The delay before the next try after `failures` failures in a row: the server's Retry-After in seconds when it
 * sends one (up to a minute), else retryDelayMs doubling with each failure.
 */
export function retryDelay(failures: number, retryDelayMs: number, response: Response | null): number {
  const retryAfter = Number(response?.headers.get('retry-after') ?? Number.NaN);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter, 60) * 1000;
  return retryDelayMs * 2 ** Math.min(failures - 1, 10);
}

/** Waits, unless the signal aborts first (then an EngineError 'cancelled'). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfCancelled(signal);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new EngineError('cancelled', 'cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The size of the file a response is part of: Content-Range's total for a 206, else Content-Length, unless the
 * body is content-encoded (its Content-Length counts encoded bytes, not the file's). X-Linked-Size (the Hub's
 * size of an LFS file, on its own responses) wins when present.
 */
export function declaredSize(response: Response): number | null {
  const linked = sizeHeader(response.headers.get('x-linked-size'));
  if (linked !== null) return linked;
  if (response.status === 206) return sizeHeader(/\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? null);
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return null;
  return sizeHeader(response.headers.get('content-length'));
}

/** Frees a response's connection when its body is not wanted. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already closed or errored: nothing to free.
  }
}

function sizeHeader(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}
