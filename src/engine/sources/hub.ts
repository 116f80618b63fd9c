import type { ModelFileInfo, ModelSource } from '../engine.ts';
import { EngineError } from '../errors.ts';
import { LISTING_FILE, type ModelFileCache, type ModelFileKey } from './cache.ts';
import { failureError, safeUrl } from './failure-errors.ts';
import { httpFiles, type HttpSettings } from './http-files.ts';
import { hubEndpointProblem, hubRepoProblem, hubRevisionProblem, hubTokenProblem, trimEndpoint } from './hub-names.ts';
import { hubStatusMessage, isModelMissing, type HubPlace } from './hub-errors.ts';
import { listLayout } from './layout.ts';
import type { ModelFiles, ReadOptions } from './model-files.ts';
import { SHARD_INDEX_FILE } from './model-files.ts';

export type HubSource = Extract<ModelSource, { kind: 'hub' }>;

export interface HubSettings extends HttpSettings {
  readonly cache: ModelFileCache | null;
}

/**
 * A Hub repo's files at `{endpoint}/{repo}/resolve/{revision}/{file}`. fetch follows the Hub's redirects of LFS
 * files to its CDN; the token goes only in an `Authorization: Bearer` header, which fetch removes when a redirect
 * leaves the endpoint's origin (Fetch standard, "HTTP-redirect fetch"; browsers and Node's fetch do it), so a CDN
 * on another origin never sees it. It is never part of a URL, a cache key or a message.
 *
 * Files are cached whole (cache.ts: by the revision as given); a cached file costs no request, and a revision listed
 * once is listed again from its stored listing (names and sizes) with no request at all.
 */
export function openHubFiles(source: HubSource, settings: HubSettings): ModelFiles {
  const endpoint = checkedEndpoint(source.endpoint);
  const repo = checkedRepo(source.repo);
  const revision = checkedRevision(source.revision);
  const token = checkedToken(source.token);
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const place: HubPlace = { endpoint: safeUrl(endpoint), repo, revision, hasToken: token !== null };
  const key = (file: string): ModelFileKey => ({ endpoint, repo, revision, file });
  const url = (file: string) => `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
  const { cache } = settings;
  /** Sizes from the last `list`, for a download's progress when its response does not declare one. */
  const listedSizes = new Map<string, number | null>();

  const http = httpFiles({
    settings,
    url,
    headers,
    isAbsent: (file, status, errorCode) => status === 404 && !isModelMissing(file, status, errorCode),
    fail: (file, failure) =>
      failureError(
        failure,
        { server: 'The Hub', address: `the Hub at ${place.endpoint}`, subject: `${file} of "${repo}"`, file, url: safeUrl(url(file)), tries: settings.retries + 1, stallMs: settings.stallMs },
        (status, errorCode) => hubStatusMessage(place, file, status, errorCode),
      ),
  });

  const read = async (file: string, options: ReadOptions = {}): Promise<Uint8Array | null> => {
    const cached = cache ? await cache.get(key(file)) : null;
    if (cached) {
      options.onProgress?.(cached.byteLength, cached.byteLength, true);
      return cached;
    }
    const bytes = await http.get(file, options, listedSizes.get(file) ?? null, listedSizes.has(file));
    if (bytes) await putQuietly(cache, key(file), bytes);
    return bytes;
  };

  const list = async (options: { signal?: AbortSignal } = {}): Promise<ModelFileInfo[]> => {
    const cachedSizes = new Map<string, number>();
    for (const entry of cache ? await cache.list() : []) {
      if (entry.endpoint === endpoint && entry.repo === repo && entry.revision === revision) cachedSizes.set(entry.file, entry.bytes);
    }
    // The stored listing has every listed file's size, so files a load does not read (generation_config.json) and
    // so never cached cost no HEAD either: a model loaded once lists with zero requests.
    const stored = cache && cachedSizes.has(LISTING_FILE) ? parseListing(await cache.get(key(LISTING_FILE))) : null;
    if (stored) {
      const files = stored.map(({ name, size }) => ({ name, size: cachedSizes.get(name) ?? size, cached: cachedSizes.has(name) }));
      for (const f of files) listedSizes.set(f.name, f.size);
      return files;
    }
    const files = await listLayout(
      (file) => {
        const size = cachedSizes.get(file);
        return size === undefined ? http.head(file, options.signal) : Promise.resolve({ size, cached: true });
      },
      () => read(SHARD_INDEX_FILE, options),
    );
    for (const f of files) listedSizes.set(f.name, f.size);
    const listing: ListedFile[] = files.map((f) => ({ name: f.name, size: f.size }));
    await putQuietly(cache, key(LISTING_FILE), new TextEncoder().encode(JSON.stringify(listing)));
    return files;
  };

  return { label: revision === 'main' ? repo : `${repo}@${revision}`, list, read };
}

/** Caching is best effort (a full quota must not fail a load that has its bytes): a refused put is dropped. */
async function putQuietly(cache: ModelFileCache | null, key: ModelFileKey, bytes: Uint8Array): Promise<void> {
  try {
    await cache?.put(key, bytes);
  } catch {
    // The file is returned all the same; it is downloaded again next time.
  }
}

/** An entry of the stored listing: a file the revision has and its size as listed (null where the server did not say). */
interface ListedFile {
  readonly name: string;
  readonly size: number | null;
}

/** The stored listing, or null when absent or unreadable (an older form, names only, is listed again). */
function parseListing(bytes: Uint8Array | null): ListedFile[] | null {
  if (!bytes) return null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const isEntry = (e: unknown): e is ListedFile => {
      const { name, size } = (e ?? {}) as { name?: unknown; size?: unknown };
      return typeof name === 'string' && (size === null || (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0));
    };
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every(isEntry) ? parsed : null;
  } catch {
    return null;
  }
}

/** The checks of hub-names.ts as EngineErrors of kind 'usage'. */
function checked(problem: string | null): void {
  if (problem !== null) throw new EngineError('usage', problem);
}

function checkedEndpoint(endpoint: string): string {
  checked(hubEndpointProblem(endpoint));
  return trimEndpoint(endpoint);
}

function checkedRepo(repo: string): string {
  checked(hubRepoProblem(repo));
  return repo.trim();
}

function checkedRevision(revision: string): string {
  checked(hubRevisionProblem(revision));
  return revision.trim();
}

function checkedToken(token: string | undefined): string | null {
  checked(hubTokenProblem(token ?? ''));
  const trimmed = token?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
