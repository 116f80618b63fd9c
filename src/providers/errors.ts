/**
 * Typed provider failures. Every message is scrubbed of the API key before an error is built
 * (see `Scrubber`), so an error can be shown, logged or stored as it is.
 */
export type ProviderErrorKind =
  /** 401/403: the key is missing, wrong or lacks access. Retrying does not help. */
  | 'auth'
  /** 429: slow down; `retryAfterMs` says how long when the server said. */
  | 'rate-limit'
  /** 5xx, 408, or an error object sent inside the stream. */
  | 'server'
  /** The server could not be reached, or the connection dropped or stalled. */
  | 'network'
  /** The server answered something that is not an OpenAI-compatible response. */
  | 'bad-response'
  /** Other 4xx: the request itself is wrong (unknown model, prompt too long, bad parameter). */
  | 'bad-request'
  /** The caller aborted. */
  | 'aborted';

export interface ProviderErrorInit {
  status?: number;
  retryAfterMs?: number;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  /** How long the server asked us to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  /** `message` must already be scrubbed; providers build errors through their `Scrubber`. */
  constructor(kind: ProviderErrorKind, message: string, init: ProviderErrorInit = {}) {
    super(message);
    this.kind = kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** A plain, JSON-able copy (for storage, workers and progress events). */
  toJSON(): { kind: ProviderErrorKind; message: string; status?: number; retryAfterMs?: number } {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    };
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

/** Kinds worth another attempt by default (a later attempt may well succeed). */
export const TRANSIENT_ERROR_KINDS: readonly ProviderErrorKind[] = ['rate-limit', 'server', 'network', 'bad-response'];

/** Maps an HTTP status of a failed response to an error kind. */
export function errorKindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate-limit';
  if (status === 408 || status >= 500) return 'server';
  if (status >= 400) return 'bad-request';
  return 'bad-response';
}

/**
 * Parses a Retry-After header: delta-seconds ("120", "1.5") or an HTTP date, relative to `nowMs`.
 * Returns undefined for anything else. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone
  // would also read "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Replaces secrets in text before it leaves the provider (error messages, logs). */
export type Scrubber = (text: string) => string;

const REDACTED = '[redacted]';

/**
 * Builds a scrubber for the given secrets: each secret (and its URL-encoded form) is replaced, and
 * so is anything that looks like a bearer token or an `sk-` style key, since servers sometimes echo
 * the key they were sent in their error bodies.
 */
export function makeScrubber(secrets: readonly (string | null | undefined)[]): Scrubber {
  const exact = secrets
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .flatMap((s) => [s, encodeURIComponent(s)])
    .sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const secret of exact) out = out.split(secret).join(REDACTED);
    return out
      .replace(/(bearer\s+)[^\s"',;]+/gi, `$1${REDACTED}`)
      .replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, REDACTED)
      .replace(/([?&](?:api[_-]?key|key|token)=)[^&\s"']+/gi, `$1${REDACTED}`);
  };
}
