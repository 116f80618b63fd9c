import { createReasoningProvider } from '../../fiat/reasoning/provider-factory.ts';
import { browserHubTokenStore, type HubTokenStore } from '../../fiat/storage/hub-tokens.ts';
import { ReasoningCacheRepository } from '../../fiat/storage/reasoning-cache-repository.ts';
import { browserSecretStore, type SecretStore } from '../../fiat/storage/reasoning-secrets.ts';
import type { ProviderSettings } from '../../providers/settings.ts';
import type { ProviderLogEntry, ReasoningProvider } from '../../providers/types.ts';
import { demoModelBaseUrl, reasoningModelLoader } from './reasoning-engine.ts';

/** The studio's reasoning cache (IndexedDB `fiat-studio-reasoning`, shared by every project). */
export const reasoningCache = new ReasoningCacheRepository();

let secrets: SecretStore | undefined;
let hubTokens: HubTokenStore | undefined;

/** API keys, per provider profile, in this browser's localStorage only (never in a project). */
export function secretStore(): SecretStore {
  secrets ??= browserSecretStore();
  return secrets;
}

/** The provider's own log (requests, statuses, failures) on the console; entries come scrubbed of the key. */
function logToConsole(entry: ProviderLogEntry): void {
  const line = `[provider] ${entry.message}`;
  if (entry.level === 'info') console.info(line);
  else console.warn(line);
}

/**
 * The large model for a profile, with its stored key (or `apiKey` when given: the provider form
 * tests a key before saving it). UI code holds the result only as a ReasoningProvider.
 */
export function buildProvider(settings: ProviderSettings, apiKey?: string): ReasoningProvider {
  return createReasoningProvider(settings, {
    apiKey: apiKey ?? secretStore().get(settings.id),
    log: logToConsole,
    inBrowser: {
      loader: reasoningModelLoader,
      demoBaseUrl: demoModelBaseUrl(),
      hubToken: (endpoint) => (hubTokens ??= browserHubTokenStore()).get(endpoint),
    },
  });
}
