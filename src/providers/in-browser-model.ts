import type { ModelSource } from '../engine/engine.ts';
import type { ProviderIdentity } from './types.ts';

/**
 * Which small model the in-browser provider runs, as exportable ProviderSettings hold it (no secrets, no origin):
 *   presetId  'in-browser'
 *   model     'fiat-studio/demo' (the demo model the studio ships in public/models/demo/), or
 *             'owner/name@revision', a Hub repo at a branch, tag or commit
 *   baseUrl   the Hub endpoint the repo is downloaded from (unused by the demo model)
 * The other settings (streaming, stream usage, max tokens field, prices) are the OpenAI-compatible provider's and
 * are ignored here; the generation parameters are used as they are, and are part of the cache key as for any provider.
 */
export const IN_BROWSER_PRESET_ID = 'in-browser';

export function isInBrowserPreset(presetId: string): boolean {
  return presetId === IN_BROWSER_PRESET_ID;
}

/** `model` of the bundled demo model. The name is reserved: it never means a Hub repo of that name. */
export const DEMO_MODEL_REPO = 'fiat-studio/demo';

/**
 * The version of the demo model the studio ships: the first 12 hex digits of SHA-256 over the lines
 * "<file> <sha256 of the file>\n" of its config, generation config, weights and tokenizer files, in name order.
 * It is in the demo's cache identity, so a regenerated demo model never serves the old one's reasonings;
 * test/unit/providers/in-browser-model.test.ts recomputes it from public/models/demo/ and fails when it is stale.
 */
export const DEMO_MODEL_VERSION = 'f45af77773da';

/** The endpoint of every in-browser identity: no HTTP endpoint has this scheme, so no server's cache key collides. */
export const IN_BROWSER_ENDPOINT = 'in-browser:';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** The demo's context is 512 positions: the prompt and the reasoning share them, so the preset asks for less than 512. */
export const IN_BROWSER_DEFAULT_MAX_TOKENS = 128;

export type InBrowserModelRef = { readonly kind: 'demo' } | { readonly kind: 'hub'; readonly repo: string; readonly revision: string };

export type InBrowserModelParse = { ok: true; ref: InBrowserModelRef } | { ok: false; message: string };

/** The Hub's repo id rules: owner and name of letters, digits, '-', '_' and '.'. */
const REPO = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

/** Reads settings' `model`; the message says what to write (the settings parser prefixes it with the field). */
export function parseInBrowserModel(model: string): InBrowserModelParse {
  const text = model.trim();
  if (text === DEMO_MODEL_REPO) return { ok: true, ref: { kind: 'demo' } };
  const at = text.indexOf('@');
  const repo = at < 0 ? text : text.slice(0, at);
  const revision = at < 0 ? '' : text.slice(at + 1);
  if (!REPO.test(repo)) {
    return { ok: false, message: `expected ${DEMO_MODEL_REPO} (the demo model) or a Hub repo as owner/name@revision, e.g. HuggingFaceTB/SmolLM2-360M-Instruct@main` };
  }
  if (revision === '' || /\s/.test(revision)) return { ok: false, message: `name the revision of ${repo} after an @ (a branch, tag or commit, e.g. ${repo}@main)` };
  return { ok: true, ref: { kind: 'hub', repo, revision } };
}

export function formatInBrowserModel(ref: InBrowserModelRef): string {
  return ref.kind === 'demo' ? DEMO_MODEL_REPO : `${ref.repo}@${ref.revision}`;
}

/**
 * Who writes the reasoning, for the cache key, from the settings' `model` alone (nothing is loaded): the repo and the
 * revision (the demo's version for the demo model). The Hub endpoint is left out: a mirror serves the same files.
 * A `model` that does not parse is kept as written (the provider refuses it with the parser's message).
 */
export function inBrowserIdentity(model: string): ProviderIdentity {
  const parsed = parseInBrowserModel(model);
  return { endpoint: IN_BROWSER_ENDPOINT, model: parsed.ok ? identityModel(parsed.ref) : model.trim() };
}

function identityModel(ref: InBrowserModelRef): string {
  return ref.kind === 'demo' ? `${DEMO_MODEL_REPO}@${DEMO_MODEL_VERSION}` : `${ref.repo}@${ref.revision}`;
}

/** A model the in-browser provider can load: how the engine gets it, and what the cache and the user call it. */
export interface InBrowserModel {
  /** `identity.model`: one per model, so the loader knows whether the engine already holds it. */
  readonly name: string;
  readonly label: string;
  readonly source: ModelSource;
  /** The demo model's weights are random: what it writes is noise, and the studio says so. */
  readonly randomWeights: boolean;
}

export interface InBrowserSourceOptions {
  /** Absolute URL of the app's demo model folder (a worker resolves relative URLs against its own script). */
  readonly demoBaseUrl: string;
  /** The Hub endpoint (settings' baseUrl). */
  readonly hubEndpoint: string;
  /** For a gated or private repo, from the Hub token store; sent only to the endpoint. */
  readonly hubToken?: string | null;
}

export function inBrowserModelOf(ref: InBrowserModelRef, options: InBrowserSourceOptions): InBrowserModel {
  const name = identityModel(ref);
  if (ref.kind === 'demo') {
    return { name, label: 'demo model, random weights', source: { kind: 'url', label: DEMO_MODEL_REPO, baseUrl: options.demoBaseUrl }, randomWeights: true };
  }
  const token = options.hubToken ? { token: options.hubToken } : {};
  return {
    name,
    label: name,
    source: { kind: 'hub', repo: ref.repo, revision: ref.revision, endpoint: options.hubEndpoint, ...token },
    randomWeights: false,
  };
}
