import { normaliseBaseUrl } from '../../providers/settings.ts';
import type { ChatMessage, GenerationParams, ProviderIdentity } from '../../providers/types.ts';

/**
 * The reasoning cache key: SHA-256 (WebCrypto, the same in browsers and Node 20) of a canonical
 * JSON of what determines ŷ_β: the endpoint, the model, the decoding parameters and the rendered
 * I_β prompt. Anything else (I_τ, the gold label, the example id) is deliberately not in it, so
 * editing I_τ never regenerates, and editing I_β regenerates exactly the prompts that changed.
 * `KEY_VERSION` changes whenever what goes in changes, so old entries are simply missed.
 */
const KEY_VERSION = 1;

export interface CacheKeyInput {
  identity: ProviderIdentity;
  params: GenerationParams;
  messages: readonly ChatMessage[];
}

export function reasoningCacheKey(input: CacheKeyInput): Promise<string> {
  return reasoningCacheKeyer(input.identity, input.params)(input.messages);
}

/**
 * reasoningCacheKey for many prompts of one provider and parameters: the endpoint is normalised (a URL
 * parse) and the parameters written once, not once per prompt. Gives exactly reasoningCacheKey's keys.
 */
export function reasoningCacheKeyer(identity: ProviderIdentity, params: GenerationParams): (messages: readonly ChatMessage[]) => Promise<string> {
  // canonicalJson's member order is sorted: endpoint, messages, model, params, v. Only messages vary.
  const head = canonicalJson({ endpoint: normaliseEndpoint(identity.endpoint) });
  const tail = canonicalJson({ model: identity.model, params: keyParams(params), v: KEY_VERSION });
  const prefix = `${head.slice(0, -1)},"messages":`;
  const suffix = `,${tail.slice(1)}`;
  return (messages) => sha256Hex(prefix + canonicalJson(keyMessages(messages)) + suffix);
}

/** Hash of the rendered prompt alone (stored with an entry for inspection and grouping). */
export async function promptHash(messages: readonly ChatMessage[]): Promise<string> {
  return sha256Hex(canonicalJson(keyMessages(messages)));
}

/** Parameters as they enter the key: stop sequences are a set; absent optionals are left out. */
export function keyParams(params: GenerationParams): GenerationParams {
  const out: GenerationParams = {
    temperature: params.temperature,
    maxTokens: params.maxTokens,
    stop: [...new Set(params.stop)].sort(),
  };
  if (params.topP !== undefined) out.topP = params.topP;
  if (params.seed !== undefined) out.seed = params.seed;
  return out;
}

function keyMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map(({ role, content }) => ({ role, content }));
}

function normaliseEndpoint(endpoint: string): string {
  const url = normaliseBaseUrl(endpoint);
  return url.ok ? url.url : endpoint;
}

/**
 * JSON with object keys sorted at every depth and undefined members left out, so equal values
 * always give equal text. Arrays keep their order. Non-finite numbers are refused (JSON has none).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`canonicalJson: a ${typeof value} has no JSON form`);
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
