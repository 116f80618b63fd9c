import { InBrowserProvider } from '../../providers/in-browser.ts';
import type { InBrowserModelLoader } from '../../providers/in-browser-loader.ts';
import { inBrowserIdentity, inBrowserModelOf, isInBrowserPreset, parseInBrowserModel } from '../../providers/in-browser-model.ts';
import { OpenAICompatibleProvider } from '../../providers/openai-compatible.ts';
import { findPreset } from '../../providers/presets.ts';
import type { ProviderSettings } from '../../providers/settings.ts';
import type { ProviderIdentity, ProviderLogEntry, ReasoningProvider } from '../../providers/types.ts';
import { ProviderError } from '../../providers/errors.ts';

export interface ProviderFactoryOptions {
  /** The profile's key from the secret store; null or '' for servers that need none. */
  apiKey: string | null;
  /** Receives the provider's log, already scrubbed of the key. */
  log?: (entry: ProviderLogEntry) => void;
  /** A stream silent for this long fails as a network error (tests shorten it). */
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
  /** What the in-browser preset needs; building one without it is a programming error (it throws). */
  inBrowser?: InBrowserFactoryOptions;
}

export interface InBrowserFactoryOptions {
  /** The one engine for θ_β and the model loaded in it, shared by every provider built (in-browser-loader.ts). */
  loader: InBrowserModelLoader;
  /** Absolute URL of the app's demo model folder (public/models/demo/). */
  demoBaseUrl: string;
  /** The Hub token for an endpoint (gated or private repos), or null. */
  hubToken?: (endpoint: string) => string | null;
}

/**
 * The one place a ReasoningProvider is built from a project's settings. Callers (preview, batch,
 * connection test, cache lookups) hold only the interface: an OpenAI-compatible endpoint, or the
 * in-browser provider (a small model on our own engine) for the 'in-browser' preset.
 */
export function createReasoningProvider(settings: ProviderSettings, options: ProviderFactoryOptions): ReasoningProvider {
  if (isInBrowserPreset(settings.presetId)) return createInBrowserProvider(settings, options.inBrowser);
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

function createInBrowserProvider(settings: ProviderSettings, options: InBrowserFactoryOptions | undefined): InBrowserProvider {
  if (!options) throw new Error('the in-browser provider needs an engine: pass ProviderFactoryOptions.inBrowser');
  const parsed = parseInBrowserModel(settings.model);
  // Settings from the form and from projects are parsed before they get here; a stale one is refused in the same words.
  if (!parsed.ok) throw new ProviderError('bad-request', `model: ${parsed.message}`);
  const model = inBrowserModelOf(parsed.ref, { demoBaseUrl: options.demoBaseUrl, hubEndpoint: settings.baseUrl, hubToken: options.hubToken?.(settings.baseUrl) ?? null });
  return new InBrowserProvider({ id: settings.id, model, loader: options.loader });
}

/** Who writes a profile's reasoning (endpoint and model), as the cache key sees it. Needs no key, loads nothing. */
export function providerIdentity(settings: ProviderSettings): ProviderIdentity {
  if (isInBrowserPreset(settings.presetId)) return inBrowserIdentity(settings.model);
  return createReasoningProvider(settings, { apiKey: null }).describe().identity;
}
