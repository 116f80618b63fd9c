import { browserSecretStore, type SecretStore } from './reasoning-secrets.ts';

/**
 * Hugging Face Hub tokens (gated or private repos), kept as the API keys are: only in this browser's localStorage,
 * one per Hub endpoint (`fiat-studio.hub-token.<origin>`), in no project, export, log or URL. The engine receives
 * the token in a 'hub' source and sends it only as `Authorization: Bearer` to that endpoint (engine/sources/hub.ts).
 */
export interface HubTokenStore {
  get(endpoint: string): string | null;
  set(endpoint: string, token: string): void;
  delete(endpoint: string): void;
  has(endpoint: string): boolean;
}

const PREFIX = 'fiat-studio.hub-token.';

/** Tokens by the endpoint's origin, so "https://huggingface.co" and "https://huggingface.co/" are one. */
export function browserHubTokenStore(storage?: Parameters<typeof browserSecretStore>[0]): HubTokenStore {
  const secrets: SecretStore = browserSecretStore(storage, PREFIX);
  const origin = (endpoint: string) => new URL(endpoint).origin;
  return {
    get: (endpoint) => secrets.get(origin(endpoint)),
    set: (endpoint, token) => secrets.set(origin(endpoint), token),
    delete: (endpoint) => secrets.delete(origin(endpoint)),
    has: (endpoint) => secrets.has(origin(endpoint)),
  };
}
