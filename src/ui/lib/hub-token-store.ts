import { browserHubTokenStore, type HubTokenStore } from '../../fiat/storage/hub-tokens.ts';

let tokens: HubTokenStore | undefined;

/** Hub tokens, per endpoint, in this browser's localStorage only (never in a project, an export, a URL or a log). */
export function hubTokenStore(): HubTokenStore {
  tokens ??= browserHubTokenStore();
  return tokens;
}
