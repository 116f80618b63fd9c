import { EngineError } from '../errors.ts';
import type { RequestFailure } from './http.ts';

/** What a failure's message names; none of it may hold a credential (`safeUrl` strips the URL's). */
export interface FailureContext {
  /** "The Hub", "The server at http://...": who answered. */
  readonly server: string;
  /** The address the user can check, without credentials. */
  readonly address: string;
  /** What was asked for: 'model.safetensors of "owner/name"'. */
  readonly subject: string;
  readonly file: string;
  /** The request's URL, without credentials (EngineErrorDetail.url). */
  readonly url: string;
  /** Attempts made before giving up (retries + 1). */
  readonly tries: number;
  readonly stallMs: number;
}

/**
 * A failed request as the engine's 'network' error, worded for the user. `statusMessage` words the statuses a
 * source knows better (the Hub's 401, 403, 404); the others get a generic sentence with the status.
 */
export function failureError(failure: RequestFailure, context: FailureContext, statusMessage?: (status: number, errorCode: string | null) => string | null): EngineError {
  const detail = { file: context.file, url: context.url };
  switch (failure.kind) {
    case 'status': {
      const { status } = failure;
      const message =
        statusMessage?.(status, failure.errorCode) ??
        (failure.retried
          ? `${context.server} answered ${status} for ${context.subject} ${context.tries} times in a row: it may be down or busy; try again later.`
          : `${context.server} answered ${status} for ${context.subject}.`);
      return new EngineError('network', message, { ...detail, status });
    }
    case 'unreachable':
      return new EngineError(
        'network',
        `Cannot reach ${context.address} (for ${context.subject}): you may be offline, the address may be wrong, or the server does not allow requests from this page (CORS).`,
        detail,
      );
    case 'interrupted': {
      const silence = context.stallMs >= 1000 ? `${Math.round(context.stallMs / 1000)} s` : `${context.stallMs} ms`;
      const what = failure.reason === 'stalled' ? `stalled (no data for ${silence})` : 'was cut off';
      return new EngineError('network', `The download of ${context.subject} ${what} ${context.tries} times in a row: check your connection and try again.`, detail);
    }
  }
}

/** A URL without user name or password (an endpoint may be typed with them), for messages and error details. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(an address that is not a URL)';
  }
}
