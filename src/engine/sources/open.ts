import type { ModelSource } from '../engine.ts';
import { defaultModelFileCache } from './cache-storage.ts';
import { openHubFiles } from './hub.ts';
import { openLocalFiles } from './local-files.ts';
import type { ModelFiles, SourceDeps } from './model-files.ts';
import { openUrlFiles } from './url-files.ts';

const DEFAULT_STALL_MS = 30_000;
const DEFAULT_RETRIES = 4;
const DEFAULT_RETRY_DELAY_MS = 500;

/**
 * A model source's files. Throws an EngineError of kind 'usage' for a source that cannot be asked at all (an
 * endpoint that is not a URL, a malformed repo name or token, two files with one name); nothing is requested here.
 */
export function openModelFiles(source: Exclude<ModelSource, { kind: 'random' }>, deps: SourceDeps = {}): ModelFiles {
  const settings = {
    // A bound fetch: browsers throw "Illegal invocation" when fetch is called as a method of another object.
    fetch: deps.fetch ?? globalThis.fetch.bind(globalThis),
    stallMs: deps.stallMs ?? DEFAULT_STALL_MS,
    retries: deps.retries ?? DEFAULT_RETRIES,
    retryDelayMs: deps.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
  };
  switch (source.kind) {
    case 'hub':
      return openHubFiles(source, { ...settings, cache: deps.cache === undefined ? defaultModelFileCache() : deps.cache });
    case 'url':
      return openUrlFiles(source, settings);
    case 'files':
      return openLocalFiles(source);
  }
}
