import { z } from 'zod';
import { isInBrowserPreset, parseInBrowserModel } from './in-browser-model.ts';
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from './types.ts';

/**
 * Provider settings are split in two by construction:
 * - `ProviderSettings`: everything a project may export (base URL, model, parameters, prices);
 *   it has no field for a key, and `parseProviderSettings` drops any unknown field, so an
 *   export built from it cannot carry one;
 * - `ProviderSecret`: the API key, kept only in browser storage (fiat/storage/reasoning-secrets.ts)
 *   and handed to the provider at construction, never stored with the settings.
 */
export interface ProviderSettings {
  /** Profile id; the secret store is keyed by it. */
  id: string;
  /** Preset the profile started from ('custom' when none). */
  presetId: string;
  /** e.g. https://api.openai.com/v1 (normalised: no trailing slash, no query, no credentials). */
  baseUrl: string;
  model: string;
  params: GenerationParams;
  /** Stream over SSE (true) or wait for one JSON response (false, for servers whose streaming is broken). */
  streaming: boolean;
  /** Ask for `stream_options: {include_usage: true}`; off for servers that reject the field. */
  streamUsage: boolean;
  /** OpenAI's newer models take `max_completion_tokens`; most compatible servers take `max_tokens`. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Optional prices for the cost estimate, in the user's currency per million tokens. */
  pricePerMillion?: { input: number; output: number };
}

export interface ProviderSecret {
  apiKey: string;
}

const generationParamsSchema = z.object({
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().positive(),
  stop: z.array(z.string().min(1)).max(4),
  topP: z.number().gt(0).max(1).optional(),
  seed: z.number().int().optional(),
});

/** Schema of exportable settings; unknown fields (an `apiKey` among them) are dropped. */
export const providerSettingsSchema = z.object({
  id: z.string().min(1),
  presetId: z.string().min(1),
  baseUrl: z.string().min(1),
  model: z.string(),
  params: generationParamsSchema,
  streaming: z.boolean(),
  streamUsage: z.boolean(),
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']),
  pricePerMillion: z.object({ input: z.number().min(0), output: z.number().min(0) }).optional(),
});

export type SettingsParseResult = { ok: true; settings: ProviderSettings } | { ok: false; message: string };

/**
 * Validates settings from a project file or a form. The message names the field, e.g.
 * `params.temperature: Too big: expected number to be <=2`. The base URL is normalised. The in-browser preset's
 * model must be the demo model or owner/name@revision (in-browser-model.ts).
 */
export function parseProviderSettings(input: unknown): SettingsParseResult {
  const parsed = providerSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'settings';
    return { ok: false, message: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  const base = normaliseBaseUrl(parsed.data.baseUrl);
  if (!base.ok) return { ok: false, message: `baseUrl: ${base.message}` };
  if (isInBrowserPreset(parsed.data.presetId)) {
    const model = parseInBrowserModel(parsed.data.model);
    if (!model.ok) return { ok: false, message: `model: ${model.message}` };
  }
  return { ok: true, settings: { ...parsed.data, baseUrl: base.url } };
}

export type BaseUrlResult = { ok: true; url: string } | { ok: false; message: string };

/**
 * Normalises a base URL so that the same endpoint always gives the same cache key:
 * lower-case scheme and host (URL does that), no trailing slashes, no query or fragment.
 * Credentials in the URL are refused: keys go in the key field, never in URLs.
 */
export function normaliseBaseUrl(input: string): BaseUrlResult {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, message: 'not a URL (expected e.g. http://127.0.0.1:11434/v1)' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: `the scheme must be http or https, not ${url.protocol.replace(':', '')}` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'credentials in the URL are not allowed; put the API key in the key field' };
  }
  if (url.search !== '') {
    return { ok: false, message: 'the URL must not have a query string (keys go in the key field, never in URLs)' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.protocol}//${url.host}${path}` };
}

/** Settings for a new profile; the caller fills in base URL and model (usually from a preset). */
export function defaultProviderSettings(
  init: Pick<ProviderSettings, 'id' | 'baseUrl' | 'model'> & Partial<ProviderSettings>,
): ProviderSettings {
  return {
    presetId: 'custom',
    params: { ...DEFAULT_GENERATION_PARAMS, stop: [...DEFAULT_GENERATION_PARAMS.stop] },
    streaming: true,
    streamUsage: true,
    maxTokensField: 'max_tokens',
    ...init,
  };
}
