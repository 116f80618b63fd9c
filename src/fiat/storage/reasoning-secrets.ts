/**
 * API keys, kept only in the browser's localStorage, one per provider profile, apart from every
 * database a project export reads (the project database and the reasoning cache). Nothing here
 * logs or returns a key except `get`, which the code that builds a provider calls.
 */
export interface SecretStore {
  get(profileId: string): string | null;
  set(profileId: string, apiKey: string): void;
  delete(profileId: string): void;
  has(profileId: string): boolean;
}

const PREFIX = 'fiat-studio.provider-key.';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * `storage` defaults to window.localStorage; tests pass a Map-backed one. `prefix` names the kind of secret (API keys
 * here; Hub tokens in hub-tokens.ts), so each lives under its own localStorage keys.
 */
export function browserSecretStore(storage: KeyValueStorage = globalThis.localStorage, prefix = PREFIX): SecretStore {
  const slot = (profileId: string) => `${prefix}${profileId}`;
  return {
    get: (profileId) => storage.getItem(slot(profileId)),
    set: (profileId, apiKey) => {
      const trimmed = apiKey.trim();
      if (trimmed === '') storage.removeItem(slot(profileId));
      else storage.setItem(slot(profileId), trimmed);
    },
    delete: (profileId) => storage.removeItem(slot(profileId)),
    has: (profileId) => storage.getItem(slot(profileId)) !== null,
  };
}
