import type { EngineError } from '../errors.ts';
import { download } from './download.ts';
import { declaredSize, discardBody, requestWithRetries, type RequestFailure, type RetryPolicy } from './http.ts';
import type { FileProbe } from './layout.ts';
import type { ReadOptions } from './model-files.ts';

export interface HttpSettings {
  readonly fetch: typeof fetch;
  readonly stallMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
}

export interface HttpFilesOptions {
  readonly settings: HttpSettings;
  readonly url: (file: string) => string;
  readonly headers: Readonly<Record<string, string>>;
  /** Whether a status means "no such file" (read gives null, list leaves it out) rather than a failure. */
  readonly isAbsent: (file: string, status: number, errorCode: string | null) => boolean;
  /**
   * Whether a 200 that is an HTML page means "no such file": a static host that falls back to the app's index.html
   * for every unknown path (vite's preview and dev servers, SPA hosting) answers 200 for files it does not have. No
   * model file is HTML. Static URL sources set it; the Hub says 404.
   */
  readonly htmlIsAbsent?: boolean;
  /** A failure worded by the source. */
  readonly fail: (file: string, failure: RequestFailure) => EngineError;
}

export interface HttpFiles {
  /** A file's size by HEAD (null when the server does not say), or null when it is absent. */
  head(file: string, signal: AbortSignal | undefined): Promise<FileProbe>;
  /**
   * A file's bytes (download.ts: resumed, verified), or null when it is absent; but a file the last listing found
   * (`listed`) that is gone when downloaded is a failure naming it, with its status, not an absent file.
   */
  get(file: string, options: ReadOptions, knownSize: number | null, listed?: boolean): Promise<Uint8Array | null>;
}

/** The requests of the sources that are files on a web server (the Hub, a URL): one place for HEAD and GET. */
export function httpFiles(options: HttpFilesOptions): HttpFiles {
  const { settings } = options;
  const policy = (signal: AbortSignal | undefined): RetryPolicy => ({ fetch: settings.fetch, retries: settings.retries, retryDelayMs: settings.retryDelayMs, stallMs: settings.stallMs, signal });
  return {
    async head(file, signal) {
      const attempt = await requestWithRetries(options.url(file), { method: 'HEAD', headers: options.headers }, policy(signal));
      if ('failure' in attempt) throw options.fail(file, attempt.failure);
      const { response } = attempt;
      await discardBody(response);
      if (response.ok && options.htmlIsAbsent && isHtml(response)) return null;
      if (response.ok) return { size: declaredSize(response), cached: false };
      const errorCode = response.headers.get('x-error-code');
      if (options.isAbsent(file, response.status, errorCode)) return null;
      throw options.fail(file, { kind: 'status', status: response.status, errorCode, retried: false });
    },
    async get(file, readOptions, knownSize, listed = false) {
      const { onProgress } = readOptions;
      const result = await download({
        url: options.url(file),
        headers: options.headers,
        policy: policy(readOptions.signal),
        knownSize,
        onProgress: onProgress && ((loaded, total) => onProgress(loaded, total, false)),
      });
      if ('bytes' in result) return result.bytes;
      const { failure } = result;
      if (failure.kind === 'status' && !listed && options.isAbsent(file, failure.status, failure.errorCode)) return null;
      throw options.fail(file, failure);
    },
  };
}

const isHtml = (response: Response): boolean => /^\s*text\/html\b/i.test(response.headers.get('content-type') ?? '');
