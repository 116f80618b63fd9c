import { throwIfCancelled } from '../errors.ts';
import { declaredSize, discardBody, fetchWithin, isRetryableStatus, linkAbort, retryDelay, sleep, type RequestFailure, type RetryPolicy } from './http.ts';

export interface DownloadRequest {
  readonly url: string;
  /** Sent with every attempt (the Hub's Authorization; fetch drops it on a redirect to another origin). */
  readonly headers: Readonly<Record<string, string>>;
  /** Its stallMs also limits each wait for a chunk of the body. */
  readonly policy: RetryPolicy;
  /** The size listed before the download, for progress when the response does not declare one. */
  readonly knownSize: number | null;
  readonly onProgress?: ((loadedBytes: number, totalBytes: number | null) => void) | undefined;
}

export type DownloadResult = { readonly bytes: Uint8Array } | { readonly failure: RequestFailure };

/**
 * One file, streamed, and whole or not at all. A dropped connection or a stall (no bytes for stallMs) is resumed
 * with `Range: bytes=<received>-` (only that header: a simple range needs no CORS preflight); a 206 that does not
 * continue the same file (another start, ETag or total) or a 200 to the Range starts the file again. A 5xx, 408
 * or 429 is asked again. `policy.retries` counts failures in a row: an attempt that brought new bytes resets it.
 * The body is verified against the size the response declared (Content-Length, or Content-Range's total): one
 * that ends short is resumed, never returned. Statuses such as 401 or 404 come back at once as failures.
 */
export async function download(request: DownloadRequest): Promise<DownloadResult> {
  const { policy } = request;
  const sink = new ByteSink();
  let total = request.knownSize;
  let etag: string | null = null;
  let answered = false;
  let failures = 0;
  for (;;) {
    const before = sink.length;
    const attempt = new AbortController();
    // fetchWithin links the caller's signal only until the response comes; the body's reads need it as well.
    const stopLinking = linkAbort(policy.signal, attempt);
    let failure: RequestFailure | null = null;
    /** A 429 or 503 whose Retry-After sets the delay before the next attempt. */
    let refusal: Response | null = null;
    try {
      const headers = sink.length > 0 ? { ...request.headers, Range: `bytes=${sink.length}-` } : request.headers;
      const sent = await fetchWithin(request.url, { headers }, policy, attempt);
      const response = 'response' in sent ? sent.response : null;
      if ('failure' in sent) failure = answered && sent.failure.kind === 'unreachable' ? { kind: 'interrupted', reason: 'dropped' } : sent.failure;
      if (response) {
        answered = true;
        const { status } = response;
        if (status !== 200 && status !== 206) {
          await discardBody(response);
          failure = { kind: 'status', status, errorCode: response.headers.get('x-error-code'), retried: isRetryableStatus(status) };
          refusal = response;
          // 416: the range is past the end of what the server now has; the file changed, so start it again.
          if (status === 416) sink.reset();
          else if (!failure.retried) return { failure };
        } else {
          const size = declaredSize(response);
          const tag = strongEtag(response);
          const continues = status === 206 && rangeStart(response) === sink.length && (etag === null || tag === null || tag === etag) && (total === null || size === null || size === total);
          if (status === 206 && !continues) {
            await discardBody(response);
            sink.reset();
            failure = { kind: 'interrupted', reason: 'dropped' };
          } else {
            if (status === 200) sink.reset();
            total = size ?? total;
            etag = tag ?? etag;
            sink.reserve(total);
            const ended = await readBody(response, attempt, policy.stallMs, (chunk) => {
              sink.append(chunk);
              request.onProgress?.(sink.length, total);
            });
            throwIfCancelled(policy.signal);
            if (ended === 'done' && (total === null || sink.length >= total)) return { bytes: sink.bytes() };
            failure = { kind: 'interrupted', reason: ended === 'stalled' ? 'stalled' : 'dropped' };
          }
        }
      }
    } finally {
      stopLinking();
    }
    failures = sink.length > before ? 1 : failures + 1;
    if (failures > policy.retries) return { failure: failure ?? { kind: 'interrupted', reason: 'dropped' } };
    await sleep(retryDelay(failures, policy.retryDelayMs, refusal), policy.signal);
  }
}

/**
 * Reads a body to its end; 'stalled' when no chunk came for stallMs (the attempt is then aborted, which closes
 * the connection), 'dropped' when the stream failed (a cut connection; fetch errors a body shorter than its
 * Content-Length).
 */
async function readBody(response: Response, attempt: AbortController, stallMs: number, onChunk: (chunk: Uint8Array) => void): Promise<'done' | 'dropped' | 'stalled'> {
  if (!response.body) return 'done';
  const reader = response.body.getReader();
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), stallMs);
    });
    let next: ReadableStreamReadResult<Uint8Array> | 'stalled';
    try {
      next = await Promise.race([reader.read(), stalled]);
    } catch {
      return 'dropped';
    } finally {
      clearTimeout(timer);
    }
    if (next === 'stalled') {
      attempt.abort();
      reader.cancel().catch(() => undefined);
      return 'stalled';
    }
    if (next.done) return 'done';
    onChunk(next.value);
  }
}

/** Where a 206's bytes start (Content-Range: bytes START-END/TOTAL); null when it does not say. */
function rangeStart(response: Response): number | null {
  const start = /^\s*bytes\s+(\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
  return start === undefined ? null : Number(start);
}

/** A strong ETag (or the Hub's X-Linked-Etag) names one version of the file; a weak one promises nothing byte-wise. */
function strongEtag(response: Response): string | null {
  const tag = response.headers.get('x-linked-etag') ?? response.headers.get('etag');
  return tag && !tag.startsWith('W/') ? tag : null;
}

/** The bytes received so far, in one buffer sized to the declared total when there is one (no copy at the end). */
class ByteSink {
  private buffer = new Uint8Array(0);
  length = 0;

  reserve(total: number | null): void {
    if (total !== null && total > this.buffer.byteLength) this.grow(total);
  }

  append(chunk: Uint8Array): void {
    if (this.length + chunk.byteLength > this.buffer.byteLength) this.grow(Math.max(this.length + chunk.byteLength, this.buffer.byteLength * 2));
    this.buffer.set(chunk, this.length);
    this.length += chunk.byteLength;
  }

  reset(): void {
    this.length = 0;
  }

  bytes(): Uint8Array {
    return this.length === this.buffer.byteLength ? this.buffer : this.buffer.slice(0, this.length);
  }

  private grow(capacity: number): void {
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
