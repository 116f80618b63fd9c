import type { ModelSource } from '../engine.ts';
import { EngineError } from '../errors.ts';
import { failureError, safeUrl } from './failure-errors.ts';
import { httpFiles, type HttpSettings } from './http-files.ts';
import { listLayout } from './layout.ts';
import type { ModelFiles } from './model-files.ts';
import { SHARD_INDEX_FILE } from './model-files.ts';

export type UrlSource = Extract<ModelSource, { kind: 'url' }>;

/**
 * Static files under a base URL (the offline demo model in public/models/demo/): `{baseUrl}/{file}`, sizes by
 * HEAD, 404 = absent (so is an HTML page: a server's fallback to the app's index.html for unknown paths), downloads
 * resumed as the Hub's are. Not put in the model cache: the browser's HTTP cache serves these (and no credentials
 * are sent). A relative baseUrl is resolved against the page's (or worker's) location.
 */
export function openUrlFiles(source: UrlSource, settings: HttpSettings): ModelFiles {
  const base = resolveBase(source.baseUrl);
  const url = (file: string) => new URL(file.split('/').map(encodeURIComponent).join('/'), base).toString();
  const http = httpFiles({
    settings,
    url,
    headers: {},
    isAbsent: (_file, status) => status === 404,
    // The demo model is served by the app's own server, which may answer a missing file with the app's page.
    htmlIsAbsent: true,
    fail: (file, failure) =>
      failureError(failure, {
        server: `The server at ${safeUrl(base)}`,
        address: safeUrl(base),
        subject: `${file} of ${source.label}`,
        file,
        url: safeUrl(url(file)),
        tries: settings.retries + 1,
        stallMs: settings.stallMs,
      }),
  });
  /** Sizes from the last `list`, for progress when a response does not declare one. */
  const listedSizes = new Map<string, number | null>();
  return {
    label: source.label,
    async list(options = {}) {
      const files = await listLayout(
        (file) => http.head(file, options.signal),
        () => http.get(SHARD_INDEX_FILE, options, null),
      );
      for (const f of files) listedSizes.set(f.name, f.size);
      return files;
    },
    read: (file, options = {}) => http.get(file, options, listedSizes.get(file) ?? null, listedSizes.has(file)),
  };
}

/** The base as a directory URL (a trailing slash, so that files resolve under it rather than beside it). */
function resolveBase(baseUrl: string): string {
  const location = (globalThis as { location?: { href: string } }).location?.href;
  try {
    const resolved = new URL(baseUrl, location);
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') throw new Error('not http(s)');
    if (!resolved.pathname.endsWith('/')) resolved.pathname += '/';
    resolved.search = '';
    resolved.hash = '';
    return resolved.toString();
  } catch {
    throw new EngineError('usage', `"${baseUrl}" is not an http(s) URL for the model's files.`);
  }
}
