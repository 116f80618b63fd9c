import { OpenAICompatibleProvider } from '../../providers/openai-compatible.ts';
import { findPreset } from '../../providers/presets.ts';
import type { ProviderSettings } from '../../providers/settings.ts';
import type { ProviderIdentity, ProviderLogEntry, ReasoningProvider } from '../../providers/types.ts';

export interface ProviderFactoryOptions {
  /** The profile's key from the secret store; null or '' for servers that need none. */
  apiKey: string | null;
  /** Receives the provider's log, already scrubbed of the key. */
  log?: (entry: ProviderLogEntry) => void;
  /** A stream silent for this long fails as a network error (tests shorten it). */
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The one place a ReasoningProvider is built from a project's settings. Callers (preview, batch,
 * connection test, cache lookups) hold only the interface, so the in-browser provider (a small
 * model on our own engine) plugs in here, as another branch, without touching them.
 */
export function createReasoningProvider(settings: ProviderSettings, options: ProviderFactoryOptions): ReasoningProvider {
  const label = findPreset(settings.presetId)?.label;
  return new OpenAICompatibleProvider({
    settings,
    apiKey: options.apiKey,
    ...(label && settings.presetId !== 'custom' ? { label } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Who writes a profile's reasoning (endpoint and model), as the cache key sees it. Needs no key. */
export function providerIdentity(settings: ProviderSettings): ProviderIdentity {
  return createReasoningProvider(settings, { apiKey: null }).describe().identity;
}
