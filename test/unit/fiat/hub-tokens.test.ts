import { expect, test } from 'vitest';
import { browserSecretStore } from '../../../src/fiat/storage/reasoning-secrets.ts';
import { browserHubTokenStore } from '../../../src/fiat/storage/hub-tokens.ts';
import { memoryStorage } from '../../support/memory-storage.ts';

test('Hub tokens are kept per endpoint origin under their own keys, apart from the API keys', () => {
  const storage = memoryStorage();
  const tokens = browserHubTokenStore(storage);
  tokens.set('https://huggingface.co/', ' hf_made_up_token ');
  expect(tokens.get('https://huggingface.co')).toBe('hf_made_up_token');
  expect(tokens.has('http://127.0.0.1:8788')).toBe(false);
  expect([...storage.map.keys()]).toEqual(['fiat-studio.hub-token.https://huggingface.co']);
  // The API key store with the same storage sees none of it.
  expect(browserSecretStore(storage).get('https://huggingface.co')).toBeNull();
  tokens.set('https://huggingface.co', '');
  expect(storage.map.size).toBe(0);
});
